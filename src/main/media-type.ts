/**
 * What a file really is, from its first bytes: a dropped file's name says nothing reliable (a text file
 * renamed .png must be refused before anything is copied). Pure: takes the bytes, returns the type.
 */

export type MediaFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'mp4' | 'mov' | 'webm' | 'mkv';

export interface MediaType {
  kind: 'image' | 'video';
  format: MediaFormat;
  /** The extension the copy gets, whatever the original was called. */
  extension: string;
}

/** Enough of a file to see every signature below, including Matroska's DocType inside its EBML header. */
export const SNIFF_BYTES = 64;

export type SniffResult =
  | { ok: true; type: MediaType }
  /** `format` names a recognised picture or video Backdrop cannot use, for a specific message. */
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'unsupported'; format: string };

const IMAGE = (format: MediaFormat, extension: string): SniffResult => ({ ok: true, type: { kind: 'image', format, extension } });
const VIDEO = (format: MediaFormat, extension: string): SniffResult => ({ ok: true, type: { kind: 'video', format, extension } });

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
}

/** ISO base media brands that hold still pictures (HEIF/HEIC, AVIF), not a movie. */
const PICTURE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis']);

/**
 * QuickTime files written before the 'ftyp' atom existed start straight with one of these atoms. 'free'
 * and 'skip' are left out: four letters that common in a text file would let one through.
 */
const QUICKTIME_FIRST_ATOMS = new Set(['moov', 'mdat', 'wide', 'pnot']);

function sniffIsoMedia(bytes: Uint8Array): SniffResult | null {
  if (bytes.length < 12) return null;
  const atom = ascii(bytes, 4, 4);
  if (atom === 'ftyp') {
    const brand = ascii(bytes, 8, 4);
    if (PICTURE_BRANDS.has(brand)) return { ok: false, reason: 'unsupported', format: brand === 'avif' || brand === 'avis' ? 'AVIF' : 'HEIF/HEIC' };
    return brand === 'qt  ' ? VIDEO('mov', '.mov') : VIDEO('mp4', '.mp4');
  }
  return QUICKTIME_FIRST_ATOMS.has(atom) ? VIDEO('mov', '.mov') : null;
}

/** Matroska and WebM share the EBML magic; the DocType element near the start tells them apart. */
function sniffMatroska(bytes: Uint8Array): SniffResult | null {
  if (!startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return null;
  return ascii(bytes, 0, bytes.length).includes('webm') ? VIDEO('webm', '.webm') : VIDEO('mkv', '.mkv');
}

export function sniffMediaType(bytes: Uint8Array): SniffResult {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return IMAGE('png', '.png');
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return IMAGE('jpeg', '.jpg');
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) return IMAGE('gif', '.gif');
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF') {
    const form = ascii(bytes, 8, 4);
    if (form === 'WEBP') return IMAGE('webp', '.webp');
    if (form === 'AVI ') return { ok: false, reason: 'unsupported', format: 'AVI' };
  }
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return { ok: false, reason: 'unsupported', format: 'TIFF' };
  return sniffIsoMedia(bytes) ?? sniffMatroska(bytes) ?? { ok: false, reason: 'unknown' };
}
