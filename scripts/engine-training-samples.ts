/**
 * Training samples made by the engine itself: what FBA-light is actually given in the app. A keyed real
 * person (the same clips, keyer and left-out window as scripts/key-training-clips.ts, but at the clip's
 * whole framing) is composited over a photograph or a plain wall the way a webcam frames a person, at
 * 1280x720; the engine's own segmenter, plan (crop, scale to the quality's pixel budget, trimap) and matte
 * request then make the network's input, and the ground truth is cut and scaled the same way.
 *
 * The synthetic pipeline in training/fba/synth/ simulates the segmentation's errors; these samples carry
 * the real ones (its fat or thin outline, its holes, its soft edge at the mask's low resolution), and the
 * real crop scale of the live qualities.
 *
 *   npx tsx scripts/engine-training-samples.ts [--out training/cache/engine] [--every-seconds 1] [--per-frame 3]
 *
 * Each sample is one PNG of four stacked blocks (rows): the engine's input image with its trimap in A, the
 * noise-free composite with the true alpha in A, the true foreground colour, the true background colour
 * (training/fba/synth/engine_samples.py reads it), and samples.json, written last, says the set is whole.
 * Background photos come from training/cache/photos (training/build_photo_cache.py), the held-out ones
 * left out as training does.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { floatImage, rgbaImage, type FloatImage, type RgbaImage } from '../src/frame';
import { encodePng } from '../src/engine/pixels/png';
import { cropResizeRgba, resizeRgba } from '../src/engine/pixels/resize';
import { matteRequest } from '../src/engine/stages/matte';
import { MATTING_AREA, plan } from '../src/engine/stages/plan';
import { createSegmenter, modelFor, type Segmenter } from '../src/engine/stages/segment';
import { openVideo } from '../src/io/video';
import { keyFrame, type KeyResult } from '../bench/lib/chroma-key';
import { garbageMask } from '../bench/lib/franck';
import { SHARED_DIR } from '../bench/peers/ort';
import { CLIPS } from './key-training-clips';
import { mulberry32 } from './seeded-random';

export const FRAME = { width: 1280, height: 720 } as const;
/** The live qualities the network runs at in the app; 'quality' and 'max' are rarer and larger. */
const QUALITIES = ['performance', 'balanced'] as const;
/** Share of frames over a plain wall rather than a photograph. */
const WALL_SHARE = 0.3;
/** Every HELDOUT_EVERY-th cached photo is held out (training/fba/synth/photos.py). */
const HELDOUT_EVERY = 10;

/** Which sides of a key the person runs off (alpha above one half somewhere on that side); every key is cut at the bottom. */
export function cutEdges(alpha: FloatImage): { left: boolean; right: boolean } {
  const { width, height, data } = alpha;
  let left = false;
  let right = false;
  for (let y = 0; y < height; y++) {
    if (data[y * width] > 0.5) left = true;
    if (data[y * width + width - 1] > 0.5) right = true;
  }
  return { left, right };
}

export interface Placement {
  /** Where the key's top-left corner lands in the frame, and the key's size there. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where a key of keyWidth x keyHeight goes in the frame: scaled so it is `scale` of the frame's height,
 * standing on the bottom edge (every key is cut there); an edge the person runs off is put on the frame's
 * edge, so no cut line shows in the frame. Run off both sides, the key is widened to the frame's width
 * (its top then leaves the frame). `u` in [0, 1] places a key that runs off neither side.
 */
export function placement(keyWidth: number, keyHeight: number, cut: { left: boolean; right: boolean }, scale: number, u: number): Placement {
  let height = Math.round(FRAME.height * scale);
  let width = Math.round((keyWidth * height) / keyHeight);
  if (cut.left && cut.right && width < FRAME.width) {
    width = FRAME.width;
    height = Math.round((keyHeight * width) / keyWidth);
  }
  const y = FRAME.height - height;
  const x = cut.right && !cut.left ? FRAME.width - width : cut.left ? 0 : Math.round(u * (FRAME.width - width));
  return { x, y, width, height };
}

/** A key flipped left to right (premultiplied colour and alpha together). */
export function mirrorKey(key: KeyResult): KeyResult {
  const { width, height } = key.alpha;
  const alpha = floatImage(width, height);
  const foreground = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = y * width + x;
      const d = y * width + width - 1 - x;
      alpha.data[d] = key.alpha.data[s];
      for (let c = 0; c < 3; c++) foreground[d * 3 + c] = key.foreground[s * 3 + c];
    }
  }
  return { alpha, foreground };
}

export interface Composite {
  /** alpha F + (1 - alpha) B, rounded to bytes. */
  clean: RgbaImage;
  /** The true alpha in R, G and B (one byte each), to be cut and scaled like a picture. */
  alpha: RgbaImage;
  /** Straight foreground colour; the background colour where the person is absent. */
  foreground: RgbaImage;
  background: RgbaImage;
}

/**
 * The key (premultiplied colour, as the keyer gives it) scaled into `at` over `background` (frame-sized).
 * Scaling premultiplied colour and alpha together keeps their ratio exact at every pixel.
 */
export function composite(key: KeyResult, at: Placement, background: RgbaImage): Composite {
  const kw = key.alpha.width;
  const kh = key.alpha.height;
  // The key as premultiplied RGBA bytes, scaled as one picture.
  const packed = rgbaImage(kw, kh);
  for (let i = 0; i < kw * kh; i++) {
    for (let c = 0; c < 3; c++) packed.data[i * 4 + c] = Math.min(255, Math.round(key.foreground[i * 3 + c]));
    packed.data[i * 4 + 3] = Math.round(key.alpha.data[i] * 255);
  }
  const scaled = resizeRgba(packed, at.width, at.height);
  const { width, height } = background;
  const clean = rgbaImage(width, height, background.data.slice());
  const alpha = rgbaImage(width, height);
  const foreground = rgbaImage(width, height, background.data.slice());
  for (let i = 3; i < alpha.data.length; i += 4) alpha.data[i] = 255;
  for (let y = Math.max(0, at.y); y < Math.min(height, at.y + at.height); y++) {
    for (let x = Math.max(0, at.x); x < Math.min(width, at.x + at.width); x++) {
      const s = ((y - at.y) * at.width + (x - at.x)) * 4;
      const a = scaled.data[s + 3];
      if (a === 0) continue;
      const d = (y * width + x) * 4;
      const af = a / 255;
      for (let c = 0; c < 3; c++) {
        const premultiplied = scaled.data[s + c];
        clean.data[d + c] = Math.min(255, Math.round(premultiplied + (1 - af) * background.data[d + c]));
        foreground.data[d + c] = Math.min(255, Math.round(premultiplied / af));
        alpha.data[d + c] = a;
      }
    }
  }
  return { clean, alpha, foreground, background };
}

/** A photo from training/cache/photos (a NumPy uint8 H x W x 3 array) as RGBA. */
export function readNpyRgb(bytes: Buffer): RgbaImage {
  if (bytes.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error('not a .npy file');
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = bytes.subarray(major === 1 ? 10 : 12, start).toString('latin1');
  const shape = /'shape':\s*\((\d+),\s*(\d+),\s*3\)/.exec(header);
  if (!/'descr':\s*'\|u1'/.test(header) || !/'fortran_order':\s*False/.test(header) || !shape) {
    throw new Error(`expected a C-order uint8 H x W x 3 array, header ${header.trim()}`);
  }
  const height = Number(shape[1]);
  const width = Number(shape[2]);
  const image = rgbaImage(width, height);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) image.data[i * 4 + c] = bytes[start + i * 3 + c];
    image.data[i * 4 + 3] = 255;
  }
  return image;
}

/** A random 16:9 window of a photo, scaled to the frame. */
function backgroundFrom(photo: RgbaImage, rng: () => number): RgbaImage {
  const w = Math.min(photo.width, Math.round((photo.height * 16) / 9));
  const h = Math.round((w * 9) / 16);
  const x = Math.floor(rng() * (photo.width - w + 1));
  const y = Math.floor(rng() * (photo.height - h + 1));
  return cropResizeRgba(photo, { x, y, width: w, height: h }, FRAME.width, FRAME.height);
}

/**
 * A plain wall, the commonest thing behind a person on a call and one photographs seldom show: a muted
 * colour lit unevenly (a gradient across it and darker corners), sometimes with a soft-edged panel (a door,
 * a shelf, a picture) a little lighter or darker. Pure in `rng`.
 */
export function plainWall(width: number, height: number, rng: () => number): RgbaImage {
  const hue = rng() * 6;
  const sat = 0.05 + 0.3 * rng();
  const value = 0.35 + 0.55 * rng();
  const f = (n: number) => {
    const k = (n + hue) % 6;
    return value * (1 - sat * Math.max(0, Math.min(1, Math.min(k, 4 - k))));
  };
  const base = [f(5), f(3), f(1)];
  const angle = rng() * 2 * Math.PI;
  const gx = Math.cos(angle) * (0.3 * rng());
  const gy = Math.sin(angle) * (0.3 * rng());
  const panel = rng() < 0.5 ? { x0: rng() * width, y0: rng() * height, w: (0.1 + 0.4 * rng()) * width, h: (0.2 + 0.6 * rng()) * height, gain: 0.8 + 0.4 * rng() } : null;
  const out = rgbaImage(width, height);
  for (let y = 0; y < height; y++) {
    const v = y / height - 0.5;
    for (let x = 0; x < width; x++) {
      const u = x / width - 0.5;
      let light = (1 + gx * u * 2 + gy * v * 2) * (1 - 0.35 * (u * u + v * v));
      if (panel) {
        const inside = Math.min(x - panel.x0, panel.x0 + panel.w - x, y - panel.y0, panel.y0 + panel.h - y);
        light *= 1 + (panel.gain - 1) * Math.max(0, Math.min(1, inside / 6 + 0.5));
      }
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) out.data[o + c] = Math.max(0, Math.min(255, Math.round(255 * base[c] * light)));
      out.data[o + 3] = 255;
    }
  }
  return out;
}

/** Webcam-like sensor noise on a frame (Gaussian, sigma in levels), in a copy. */
function withNoise(image: RgbaImage, sigma: number, rng: () => number): RgbaImage {
  const out = rgbaImage(image.width, image.height, image.data.slice());
  for (let i = 0; i < out.data.length; i++) {
    if ((i & 3) === 3) continue;
    const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    out.data[i] = Math.max(0, Math.min(255, Math.round(out.data[i] + sigma * g)));
  }
  return out;
}

/**
 * What the engine makes of a frame at a quality, with the truth cut the same way: the four stacked blocks
 * of a sample (see the top of this file), or null where the segmenter found no person.
 */
export async function engineSample(input: RgbaImage, truth: Composite, quality: keyof typeof MATTING_AREA, segmenter: Segmenter): Promise<RgbaImage | null> {
  const made = plan(null, input, await segmenter.segment(input), MATTING_AREA[quality]);
  if (!made) return null;
  const request = matteRequest(input, made);
  const g = request.region;
  const cut = (image: RgbaImage) => cropResizeRgba(image, { x: g.x0, y: g.y0, width: g.x1 - g.x0, height: g.y1 - g.y0 }, g.width, g.height);
  const image = request.image;
  for (let p = 0; p < g.width * g.height; p++) image.data[p * 4 + 3] = request.trimap.data[p];
  const clean = cut(truth.clean);
  const alpha = cut(truth.alpha);
  for (let p = 0; p < g.width * g.height; p++) clean.data[p * 4 + 3] = alpha.data[p * 4];
  return stack([image, clean, cut(truth.foreground), cut(truth.background)]);
}

/** Blocks of one width stacked top to bottom into one picture. */
export function stack(blocks: RgbaImage[]): RgbaImage {
  const { width, height } = blocks[0];
  for (const b of blocks) if (b.width !== width || b.height !== height) throw new Error(`stacked blocks differ in size: ${b.width}x${b.height} and ${width}x${height}`);
  const out = rgbaImage(width, height * blocks.length);
  blocks.forEach((b, k) => out.data.set(b.data, k * width * height * 4));
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'training/cache/engine' },
      photos: { type: 'string', default: 'training/cache/photos' },
      'every-seconds': { type: 'string', default: '1' },
      'per-frame': { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
    },
  });
  const every = Number(values['every-seconds']);
  const perFrame = Number(values['per-frame']);
  if (!(every > 0) || !(Number.isInteger(perFrame) && perFrame >= 1)) throw new Error('--every-seconds must be > 0 and --per-frame a whole number from 1');
  const photoFiles = readdirSync(values.photos).filter((f) => f.endsWith('.npy')).sort();
  const photos = photoFiles.filter((_, i) => i % HELDOUT_EVERY !== 0).map((f) => readNpyRgb(readFileSync(join(values.photos, f))));
  if (!photos.length) throw new Error(`no photos in ${values.photos}; run /usr/bin/python3 training/build_photo_cache.py first`);
  mkdirSync(values.out, { recursive: true });
  const rng = mulberry32(Number(values.seed));
  const segmenter = await createSegmenter({ model: modelFor(FRAME.width, FRAME.height), modelsDir: 'models', threads: 1, providers: ['cpu'] });
  let written = 0;
  let skipped = 0;
  const counts: object[] = [];
  for (const clip of CLIPS) {
    const reader = await openVideo(join(SHARED_DIR, 'clips', clip.file), { size: clip.keySize });
    const rate = reader.video.rate.num / reader.video.rate.den;
    const step = Math.max(1, Math.round(every * rate));
    const garbage = clip.garbage && garbageMask(clip.keySize.width, clip.keySize.height, clip.garbage);
    let index = 0;
    for await (const frame of reader.frames()) {
      const i = index++;
      const t = i / rate;
      if (i % step !== 0 || (clip.excluded && t >= clip.excluded[0] && t < clip.excluded[1])) continue;
      const keyed = keyFrame(frame, { screen: clip.screen, garbage });
      for (let k = 0; k < perFrame; k++) {
        const key = rng() < 0.5 ? mirrorKey(keyed) : keyed;
        const at = placement(clip.keySize.width, clip.keySize.height, cutEdges(key.alpha), 0.55 + 0.45 * rng(), rng());
        const background = rng() < WALL_SHARE ? plainWall(FRAME.width, FRAME.height, rng) : backgroundFrom(photos[Math.floor(rng() * photos.length)], rng);
        const truth = composite(key, at, background);
        const input = withNoise(truth.clean, 3 * rng(), rng);
        const quality = QUALITIES[Math.floor(rng() * QUALITIES.length)];
        const sample = await engineSample(input, truth, quality, segmenter);
        if (!sample) {
          skipped++;
          continue;
        }
        const name = `${clip.name}-${String(Math.round(t * 1000)).padStart(7, '0')}-${k}-${quality}.png`;
        writeFileSync(join(values.out, `${name}.partial`), encodePng(sample));
        renameSync(join(values.out, `${name}.partial`), join(values.out, name));
        written++;
      }
    }
    counts.push({ clip: clip.name, file: clip.file, excludedSeconds: clip.excluded ?? null, samplesSoFar: written, skippedSoFar: skipped });
    console.log(JSON.stringify(counts.at(-1)));
  }
  await segmenter.dispose();
  // Written last: its presence says the set is whole (training/resume.sh checks for it).
  writeFileSync(join(values.out, 'samples.json'), JSON.stringify({ everySeconds: every, perFrame, seed: Number(values.seed), qualities: QUALITIES, wallShare: WALL_SHARE, clips: counts }, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
