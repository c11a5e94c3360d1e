import { describe, expect, it } from 'vitest';
import { sniffMediaType } from '../../../src/main/media-type';
import { safeBaseName, uniqueName } from '../../../src/main/user-backgrounds';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
/** An ISO media file's first atom: size, 'ftyp', major brand. */
const ftyp = (brand: string) => bytes([0, 0, 0, 0x18], 'ftyp', brand, [0, 0, 0, 0]);

describe('media type sniffing', () => {
  it.each([
    ['PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13]), 'image', 'png', '.png'],
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'), 'image', 'jpeg', '.jpg'],
    ['GIF', bytes('GIF89a', [1, 0, 1, 0]), 'image', 'gif', '.gif'],
    ['WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image', 'webp', '.webp'],
    ['MP4', ftyp('isom'), 'video', 'mp4', '.mp4'],
    ['MOV', ftyp('qt  '), 'video', 'mov', '.mov'],
    ['old QuickTime', bytes([0, 0, 0, 8], 'wide', [0, 0, 0, 0]), 'video', 'mov', '.mov'],
    ['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84], 'webm'), 'video', 'webm', '.webm'],
    ['MKV', bytes([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x82, 0x88], 'matroska'), 'video', 'mkv', '.mkv'],
  ])('recognises %s', (_name, head, kind, format, extension) => {
    expect(sniffMediaType(head)).toEqual({ ok: true, type: { kind, format, extension } });
  });

  it('refuses text, however the file is named', () => {
    expect(sniffMediaType(bytes('hello, this is not a picture\n'))).toEqual({ ok: false, reason: 'unknown' });
    expect(sniffMediaType(bytes('%PDF-1.7'))).toEqual({ ok: false, reason: 'unknown' });
    expect(sniffMediaType(new Uint8Array())).toEqual({ ok: false, reason: 'unknown' });
  });

  it('does not take a truncated signature for the real thing', () => {
    expect(sniffMediaType(bytes([0x89], 'PNG'))).toEqual({ ok: false, reason: 'unknown' });
    expect(sniffMediaType(bytes('RIFF'))).toEqual({ ok: false, reason: 'unknown' });
  });

  it('names pictures and videos it recognises but cannot use', () => {
    expect(sniffMediaType(ftyp('heic'))).toEqual({ ok: false, reason: 'unsupported', format: 'HEIF/HEIC' });
    expect(sniffMediaType(ftyp('avif'))).toEqual({ ok: false, reason: 'unsupported', format: 'AVIF' });
    expect(sniffMediaType(bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'))).toEqual({ ok: false, reason: 'unsupported', format: 'AVI' });
    expect(sniffMediaType(bytes('II', [0x2a, 0], [8, 0, 0, 0]))).toEqual({ ok: false, reason: 'unsupported', format: 'TIFF' });
  });
});

describe('names for copied backgrounds', () => {
  it('keeps letters of any script, digits and a few marks', () => {
    expect(safeBaseName('Beach at noon.jpg')).toBe('Beach at noon');
    expect(safeBaseName('Café_Zürich-2.png')).toBe('Café_Zürich-2');
    expect(safeBaseName('東京.webp')).toBe('東京');
  });

  it('replaces what a file system or a shell would trip on', () => {
    expect(safeBaseName('a/b\\c:d*e?"f<g>h|i.png')).toBe('a-b-c-d-e-f-g-h-i');
    expect(safeBaseName('..hidden.png')).toBe('hidden');
    expect(safeBaseName('.png')).toBe('png');
    expect(safeBaseName(' -- .jpg')).toBe('background');
    expect(safeBaseName('???.png')).toBe('background');
    expect(safeBaseName(`${'x'.repeat(200)}.png`)).toHaveLength(80);
  });

  it('never yields a Windows device name', () => {
    expect(safeBaseName('CON.png')).toBe('CON-background');
    expect(safeBaseName('lpt1.jpg')).toBe('lpt1-background');
  });

  it('numbers a name already taken, ignoring case', () => {
    expect(uniqueName('beach', '.jpg', [])).toBe('beach.jpg');
    expect(uniqueName('beach', '.jpg', ['Beach.JPG'])).toBe('beach-2.jpg');
    expect(uniqueName('beach', '.jpg', ['beach.jpg', 'beach-2.jpg', 'beach.png'])).toBe('beach-3.jpg');
  });
});
