import { deflateSync, inflateSync } from 'node:zlib';
import { rgbaImage, type RgbaImage } from '../../frame';
import { assertDimensions, assertLength } from './errors';

/**
 * A small PNG codec for the project's own files: the bundled backgrounds it writes, and test images it
 * reads (8-bit grey, grey+alpha, RGB, RGBA and palette, not interlaced). Camera frames and user files go
 * through ffmpeg instead.
 */

export class PngError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PngError';
  }
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Row filter `type` applied to `row` (previous row `prev`, bytes per pixel `bpp`), into `out`. */
function filterRow(type: number, row: Uint8Array, prev: Uint8Array, bpp: number, out: Uint8Array): void {
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp] : 0;
    const b = prev[i];
    const c = i >= bpp ? prev[i - bpp] : 0;
    const predictor = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
    out[i] = (row[i] - predictor) & 0xff;
  }
}

/**
 * Encodes RGBA pixels as a PNG, RGB when every pixel is opaque. Each row takes the filter with the least
 * sum of absolute residuals (libpng's heuristic), which matters for the smooth gradients of backgrounds.
 */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, data } = image;
  assertDimensions(width, height, 'PNG image');
  assertLength(data, width * height * 4, 'PNG image RGBA');
  let opaque = true;
  for (let i = 3; i < data.length; i += 4) {
    if (data[i] !== 255) {
      opaque = false;
      break;
    }
  }
  const bpp = opaque ? 3 : 4;
  const stride = width * bpp;
  const raw = new Uint8Array((stride + 1) * height);
  let prev = new Uint8Array(stride);
  let row = new Uint8Array(stride);
  const candidate = new Uint8Array(stride);
  const best = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < bpp; c++) row[x * bpp + c] = data[(y * width + x) * 4 + c];
    }
    let bestType = 0;
    let bestCost = Infinity;
    for (let type = 0; type < 5; type++) {
      filterRow(type, row, prev, bpp, candidate);
      let cost = 0;
      for (let i = 0; i < stride; i++) cost += candidate[i] < 128 ? candidate[i] : 256 - candidate[i];
      if (cost < bestCost) {
        bestCost = cost;
        bestType = type;
        best.set(candidate);
      }
    }
    raw[y * (stride + 1)] = bestType;
    raw.set(best, y * (stride + 1) + 1);
    [prev, row] = [row, prev];
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = opaque ? 2 : 6;
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Decodes an 8-bit, non-interlaced PNG to RGBA. Anything else is a PngError naming what it found. */
export function decodePng(bytes: Uint8Array): RgbaImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new PngError('not a PNG file (bad signature)');
  let offset = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  let palette: Uint8Array | null = null;
  let transparency: Uint8Array | null = null;
  const idat: Buffer[] = [];
  while (offset + 8 <= buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('ascii', offset + 4, offset + 8);
    const body = buf.subarray(offset + 8, offset + 8 + length);
    if (body.length !== length) throw new PngError(`truncated ${type} chunk`);
    offset += 12 + length;
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      colourType = body[9];
      if (depth !== 8) throw new PngError(`only 8-bit PNGs are supported, this one has ${depth}-bit samples`);
      if (!(colourType in CHANNELS)) throw new PngError(`unknown PNG colour type ${colourType}`);
      if (body[12] !== 0) throw new PngError('interlaced PNGs are not supported');
    } else if (type === 'PLTE') palette = new Uint8Array(body);
    else if (type === 'tRNS') transparency = new Uint8Array(body);
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
  }
  if (colourType < 0) throw new PngError('PNG has no IHDR chunk');
  assertDimensions(width, height, 'PNG image');
  if (colourType === 3 && !palette) throw new PngError('palette PNG has no PLTE chunk');
  const pal = palette ?? new Uint8Array(0);
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (error) {
    throw new PngError(`PNG pixel data does not inflate: ${(error as Error).message}`);
  }
  const bpp = CHANNELS[colourType];
  const stride = width * bpp;
  if (raw.length < (stride + 1) * height) throw new PngError(`PNG pixel data holds ${raw.length} bytes, needs ${(stride + 1) * height}`);

  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)];
    if (type > 4) throw new PngError(`unknown PNG row filter ${type} on row ${y}`);
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? rows[dst + i - bpp] : 0;
      const b = y > 0 ? rows[dst - stride + i] : 0;
      const c = i >= bpp && y > 0 ? rows[dst - stride + i - bpp] : 0;
      const predictor = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
      rows[dst + i] = (raw[src + i] + predictor) & 0xff;
    }
  }

  const out = rgbaImage(width, height);
  const d = out.data;
  for (let i = 0; i < width * height; i++) {
    const s = i * bpp;
    const o = i * 4;
    switch (colourType) {
      case 0:
        d[o] = d[o + 1] = d[o + 2] = rows[s];
        d[o + 3] = 255;
        break;
      case 4:
        d[o] = d[o + 1] = d[o + 2] = rows[s];
        d[o + 3] = rows[s + 1];
        break;
      case 2:
        d[o] = rows[s];
        d[o + 1] = rows[s + 1];
        d[o + 2] = rows[s + 2];
        d[o + 3] = 255;
        break;
      case 6:
        d.set(rows.subarray(s, s + 4), o);
        break;
      case 3: {
        const index = rows[s];
        if (3 * index + 2 >= pal.length) throw new PngError(`palette index ${index} is outside the palette`);
        d[o] = pal[3 * index];
        d[o + 1] = pal[3 * index + 1];
        d[o + 2] = pal[3 * index + 2];
        d[o + 3] = transparency && index < transparency.length ? transparency[index] : 255;
        break;
      }
    }
  }
  return out;
}
