/**
 * Real foregrounds for training FBA-light: the two shared clips of a person on an even screen, chroma-keyed
 * frame by frame (bench/lib/chroma-key.ts, the keyer that makes the bench's franck ground truth) and
 * written as RGBA PNGs (straight, not premultiplied, colour; alpha in A) that training/fba/synth/keyed.py
 * turns into foreground pool entries.
 *
 *   npx tsx scripts/key-training-clips.ts [--out training/cache/keyed] [--every-seconds 0.33]
 *
 * franck leaves out 90-120 s: that window holds the 10 s cut the bench evaluates on (100-110 s).
 * Beside the pictures, stats.json gives the keyer's error on still frames: a frame and the next one, where
 * the picture did not change, should get the same alpha, so the mean |alpha change| over those pixels, in
 * the person's edge band, is noise the keyer adds.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rgbaImage, type RgbaImage } from '../src/frame';
import { encodePng } from '../src/engine/pixels/png';
import { openVideo } from '../src/io/video';
import { BLUE_SCREEN, keyFrame, YELLOW_GREEN_SCREEN, type KeyResult, type Screen } from '../bench/lib/chroma-key';
import { FRANCK_CONTENT, FRANCK_GARBAGE, garbageMask } from '../bench/lib/franck';
import { SHARED_DIR } from '../bench/peers/ort';

export interface KeyedClip {
  name: string;
  file: string;
  screen: Screen;
  /** The keyer's radii were tuned at about 720 px of picture height: frames are keyed at this size. */
  keySize: { width: number; height: number };
  /** Seconds that must never reach training. */
  excluded?: [number, number];
  /** Boxes (in keySize pixels) known not to hold the person. */
  garbage?: typeof FRANCK_GARBAGE;
}

export const CLIPS: KeyedClip[] = [
  {
    name: 'franck',
    file: 'originals/franck.mp4',
    screen: BLUE_SCREEN,
    keySize: { width: FRANCK_CONTENT.width, height: FRANCK_CONTENT.height },
    excluded: [90, 120],
    garbage: FRANCK_GARBAGE,
  },
  {
    name: 'mdn-talking-head',
    file: 'originals/mdn-chroma-keying-talking-head.mp4',
    screen: YELLOW_GREEN_SCREEN,
    keySize: { width: 1200, height: 720 },
  },
];

/** A picture change below this (0..255, every channel) counts as still. */
const STILL_LEVEL = 2;

/**
 * Halves a key by 2x2 averaging (alpha and premultiplied colour average exactly), crops a square `side`
 * wide around the alpha's centre of mass, and returns it as straight RGBA bytes.
 */
export function halveAndCrop(key: KeyResult, width: number, height: number, side: number): RgbaImage {
  const hw = width >> 1;
  const hh = height >> 1;
  const a = new Float32Array(hw * hh);
  const f = new Float32Array(hw * hh * 3);
  let mass = 0;
  let mx = 0;
  for (let y = 0; y < hh; y++) {
    for (let x = 0; x < hw; x++) {
      const o = y * hw + x;
      for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
        const i = (2 * y + dy) * width + 2 * x + dx;
        a[o] += key.alpha.data[i] / 4;
        for (let c = 0; c < 3; c++) f[o * 3 + c] += key.foreground[i * 3 + c] / 4;
      }
      mass += a[o];
      mx += a[o] * x;
    }
  }
  const cx = mass > 0 ? mx / mass : hw / 2;
  const s = Math.min(side, hw, hh);
  const x0 = Math.max(0, Math.min(hw - s, Math.round(cx - s / 2)));
  const y0 = hh - s; // the person stands on the bottom edge: keep it
  const out = rgbaImage(s, s);
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const o = (y0 + y) * hw + x0 + x;
      const p = (y * s + x) * 4;
      const alpha = a[o];
      for (let c = 0; c < 3; c++) out.data[p + c] = alpha > 0 ? Math.min(255, Math.round(f[o * 3 + c] / alpha)) : 0;
      out.data[p + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

/** Mean |alpha change| over pixels whose picture did not change and that lie in either key's edge band. */
export function stillFrameError(a: RgbaImage, b: RgbaImage, ka: KeyResult, kb: KeyResult): { error: number; pixels: number } {
  let sum = 0;
  let pixels = 0;
  for (let i = 0, p = 0; i < ka.alpha.data.length; i++, p += 4) {
    const x = ka.alpha.data[i];
    const y = kb.alpha.data[i];
    if ((x <= 0 || x >= 1) && (y <= 0 || y >= 1)) continue;
    if (Math.abs(a.data[p] - b.data[p]) >= STILL_LEVEL) continue;
    if (Math.abs(a.data[p + 1] - b.data[p + 1]) >= STILL_LEVEL) continue;
    if (Math.abs(a.data[p + 2] - b.data[p + 2]) >= STILL_LEVEL) continue;
    sum += Math.abs(x - y);
    pixels++;
  }
  return { error: pixels ? sum / pixels : 0, pixels };
}

async function keyClip(clip: KeyedClip, outDir: string, everySeconds: number, side: number): Promise<object> {
  const dir = join(outDir, clip.name);
  mkdirSync(dir, { recursive: true });
  const reader = await openVideo(join(SHARED_DIR, 'clips', clip.file), { size: clip.keySize });
  const rate = reader.video.rate.num / reader.video.rate.den;
  const step = Math.max(1, Math.round(everySeconds * rate));
  const garbage = clip.garbage && garbageMask(clip.keySize.width, clip.keySize.height, clip.garbage);
  let index = 0;
  let written = 0;
  let previous: { frame: RgbaImage; key: KeyResult } | undefined;
  const still: number[] = [];
  let stillPixels = 0;
  for await (const frame of reader.frames()) {
    const i = index++;
    const t = i / rate;
    if (clip.excluded && t >= clip.excluded[0] && t < clip.excluded[1]) continue;
    const sampled = i % step === 0;
    // Every fourth sampled frame is keyed with its successor too, for the still-frame error.
    const pairEnd = previous !== undefined && i % (4 * step) === 1;
    if (!sampled && !pairEnd) continue;
    const key = keyFrame(frame, { screen: clip.screen, garbage });
    if (pairEnd && previous) {
      const e = stillFrameError(previous.frame, frame, previous.key, key);
      if (e.pixels > 0) {
        still.push(e.error);
        stillPixels += e.pixels;
      }
    }
    previous = i % (4 * step) === 0 ? { frame, key } : undefined;
    if (!sampled) continue;
    const name = `${String(Math.round(t * 1000)).padStart(7, '0')}.png`;
    writeFileSync(join(dir, `${name}.partial`), encodePng(halveAndCrop(key, clip.keySize.width, clip.keySize.height, side)));
    renameSync(join(dir, `${name}.partial`), join(dir, name));
    written++;
  }
  const stats = {
    clip: clip.file,
    screen: clip.screen.name,
    keySize: clip.keySize,
    excludedSeconds: clip.excluded ?? null,
    frames: written,
    everyFrames: step,
    stillPairs: still.length,
    stillPixels,
    stillAlphaError: still.length ? still.reduce((s, v) => s + v, 0) / still.length : null,
  };
  writeFileSync(join(dir, 'stats.json'), JSON.stringify(stats, null, 2));
  return stats;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'training/cache/keyed' },
      'every-seconds': { type: 'string', default: '0.33' },
      side: { type: 'string', default: '360' },
    },
  });
  const every = Number(values['every-seconds']);
  const side = Number(values.side);
  if (!(every > 0) || !(side >= 64)) throw new Error('--every-seconds must be > 0 and --side at least 64');
  for (const clip of CLIPS) console.log(JSON.stringify(await keyClip(clip, values.out, every, side)));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
