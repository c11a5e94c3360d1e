import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage, type FloatImage } from '../../../src/frame';
import { decodePng } from '../../../src/engine/pixels/png';
import { keyFrame } from '../../../bench/lib/chroma-key';
import { estimateForeground } from '../../../bench/lib/foreground';
import { franckFrames, FRANCK_GARBAGE } from '../../../bench/lib/franck';
import { sad } from '../../../bench/lib/metrics';
import { EVAL_DIR, objectSequence } from '../../../bench/lib/sequences';
import { dtSSD, messdt } from '../../../bench/lib/temporal-metrics';
import { SHARED_DIR } from '../../../bench/peers/ort';

/** The reference-making stages on real material from ../shared (skipped without it). */
const missing = existsSync(join(SHARED_DIR, 'clips')) && existsSync(EVAL_DIR) ? null : `${SHARED_DIR} (clips, eval) is missing`;

function meanIn(alpha: FloatImage, box: { x: number; y: number; width: number; height: number }): number {
  let sum = 0;
  for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++) sum += alpha.data[y * alpha.width + x];
  return sum / (box.width * box.height);
}

describe.skipIf(missing !== null)(`reference mattes from real material${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('keys the first franck frame: screen 0, face and shirt 1, a soft edge, the stand removed', async () => {
    const [frame] = await franckFrames(1);
    const garbage = new Uint8Array(frame.width * frame.height);
    for (const g of FRANCK_GARBAGE) for (let y = g.y; y < g.y + g.height; y++) garbage.fill(1, y * frame.width + g.x, y * frame.width + g.x + g.width);
    const { alpha } = keyFrame(frame, { garbage });
    expect(meanIn(alpha, { x: 0, y: 0, width: 192, height: 192 })).toBe(0);
    expect(meanIn(alpha, { x: 448, y: 288, width: 128, height: 160 })).toBe(1);
    expect(meanIn(alpha, { x: 300, y: 672, width: 120, height: 40 })).toBe(1);
    expect(meanIn(alpha, FRANCK_GARBAGE[0])).toBe(0);
    const soft = alpha.data.filter((a) => a > 0.05 && a < 0.95).length;
    expect(soft).toBeGreaterThan(1000); // hair and shoulders over the screen are not a hard cut
  });

  it('keys an alphamatting.com doll composited over blue close to its ground truth', () => {
    const image = decodePng(readFileSync(join(EVAL_DIR, 'image', 'GT03.png')));
    const alphaPng = decodePng(readFileSync(join(EVAL_DIR, 'alpha', 'GT03.png')));
    const trimap = decodePng(readFileSync(join(EVAL_DIR, 'trimap', 'GT03.png')));
    const truth = floatImage(image.width, image.height);
    const unknown = new Uint8Array(truth.data.length);
    for (let i = 0; i < truth.data.length; i++) {
      truth.data[i] = alphaPng.data[i * 4] / 255;
      unknown[i] = trimap.data[i * 4] === 128 ? 1 : 0;
    }
    const fg = estimateForeground(image, truth);
    const blue = [52, 123, 248];
    const composite = rgbaImage(image.width, image.height);
    for (let i = 0; i < truth.data.length; i++) {
      const a = truth.data[i];
      composite.data.set([0, 1, 2].map((c) => Math.round(a * fg[c][i] + (1 - a) * blue[c])), i * 4);
      composite.data[i * 4 + 3] = 255;
    }
    const keyed = keyFrame(composite).alpha;
    // bench/keyer-check.ts measures about 2.6 here (with screen noise); classical matting scores ~5 on
    // these images. A broken keyer lands in the tens.
    expect(sad(keyed, truth, unknown)).toBeLessThan(5);
  });

  it('builds an object sequence whose motion field carries the truth from frame to frame', async () => {
    const seq = await objectSequence('GT03', 3, { width: 320, height: 180 });
    const [f0, f1] = seq.frames;
    expect(f0.motion).toBeNull();
    expect(f1.motion).not.toBeNull();
    // A perfect prediction has no temporal error; one that lags a frame behind does.
    expect(dtSSD(f0.truth, f1.truth, f0.truth, f1.truth)).toBe(0);
    expect(messdt(f0.truth, f1.truth, f0.truth, f1.truth, f1.motion!)).toBe(0);
    expect(dtSSD(f0.truth, f0.truth, f0.truth, f1.truth)).toBeGreaterThan(0);
    // Following the field moves each truth pixel of frame 0 onto the same value in frame 1.
    let off = 0;
    const { width, height } = f1.truth;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const xx = x + f1.motion!.dx[i];
        const yy = y + f1.motion!.dy[i];
        if (f0.truth.data[i] > 0 && xx >= 0 && yy >= 0 && xx < width && yy < height) off += Math.abs(f0.truth.data[i] - f1.truth.data[yy * width + xx]);
      }
    }
    expect(off).toBe(0);
  });
});
