import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage } from '../../../../src/frame';
import {
  blueExcess,
  compositeKeyed,
  excessAlpha,
  keyFrame,
  knockoutAlpha,
  unmix,
  YELLOW_GREEN_SCREEN,
  yellowGreenExcess,
  type Planes,
} from '../../../../bench/lib/chroma-key';
import { estimateForeground } from '../../../../bench/lib/foreground';
import { MetricError } from '../../../../bench/lib/metrics';
import { poolWeighted, pushPullFill } from '../../../../bench/lib/push-pull';

const planes = (...pixels: [number, number, number][]): Planes => [
  Float32Array.from(pixels.map((p) => p[0])),
  Float32Array.from(pixels.map((p) => p[1])),
  Float32Array.from(pixels.map((p) => p[2])),
];

describe('yellow-green excess key', () => {
  it('is min(R, G) - B - 2 |R - G|: high on the screen, negative on skin and grey', () => {
    expect(yellowGreenExcess(196, 200, 16)).toBe(172); // the MDN clip's screen, about #C4C810
    expect(yellowGreenExcess(200, 150, 120)).toBe(-70); // skin: red well above green
    expect(yellowGreenExcess(120, 120, 120)).toBe(0); // grey hair
  });
});

describe('blue excess key', () => {
  it('is B - max(R, G)', () => {
    expect(blueExcess(50, 125, 247)).toBe(122);
    expect(blueExcess(171, 115, 98)).toBe(-73);
  });

  it('maps the foreground excess to 1, the screen excess to 0, linearly between', () => {
    expect(excessAlpha(12, 122, 12)).toBe(1);
    expect(excessAlpha(-50, 122, 12)).toBe(1);
    expect(excessAlpha(122, 122, 12)).toBe(0);
    expect(excessAlpha(67, 122, 12)).toBeCloseTo(0.5, 12); // halfway: (67 - 12) / 110
  });
});

describe('knockout alpha', () => {
  it('places a colour on the line from foreground to screen', () => {
    // F = (200, 100, 50), K = (50, 120, 250); C = 0.25 F + 0.75 K = (87.5, 115, 200) -> alpha 0.25.
    const out = new Float32Array(1);
    knockoutAlpha(planes([87.5, 115, 200]), planes([200, 100, 50]), planes([50, 120, 250]), 60, new Float32Array([9]), out);
    expect(out[0]).toBeCloseTo(0.25, 6);
  });

  it('clamps beyond the ends and falls back where F and K are too alike', () => {
    const out = new Float32Array(3);
    knockoutAlpha(
      planes([250, 90, 0], [40, 125, 255], [60, 120, 240]),
      planes([200, 100, 50], [200, 100, 50], [60, 110, 230]),
      planes([50, 120, 250], [50, 120, 250], [50, 120, 250]),
      60,
      Float32Array.from([0, 0, 0.7]),
      out,
    );
    expect(out[0]).toBe(1); // past F
    expect(out[1]).toBe(0); // past K
    expect(out[2]).toBeCloseTo(0.7, 6); // |K - F| = sqrt(100 + 100 + 400) < 60: the fallback
  });
});

describe('unmix', () => {
  it('subtracts the screen share and limits blue to max(R, G)', () => {
    // C = 0.5 * (200, 100, 50) + 0.5 * (50, 120, 250) = (125, 110, 150): premultiplied F = C - 0.5 K.
    const out = new Float32Array(3);
    unmix(planes([125, 110, 150]), Float32Array.of(0.5), planes([50, 120, 250]), out);
    expect([...out]).toEqual([100, 50, 25]);
    // Residual spill: C = (100, 100, 220) at alpha 0.9 against K (50, 120, 250): C - 0.1 K = (95, 88, 195),
    // capped at 255 * 0.9 = 229.5, then blue limited to max(95, 88) = 95.
    unmix(planes([100, 100, 220]), Float32Array.of(0.9), planes([50, 120, 250]), out);
    expect(out[0]).toBeCloseTo(95, 4);
    expect(out[1]).toBeCloseTo(88, 4);
    expect(out[2]).toBeCloseTo(95, 4);
  });

  it('despills a yellow-green screen by raising blue until the excess is gone', () => {
    // C = (160, 160, 40) at alpha 0.5 against K = (196, 200, 16): C - 0.5 K = (62, 60, 32), whose excess
    // min(62, 60) - 32 - 2 * |62 - 60| = 24 raises blue to 56.
    const out = new Float32Array(3);
    unmix(planes([160, 160, 40]), Float32Array.of(0.5), planes([196, 200, 16]), out, YELLOW_GREEN_SCREEN);
    expect([...out]).toEqual([62, 60, 56]);
  });

  it('gives black where alpha is 0', () => {
    const out = new Float32Array(3).fill(7);
    unmix(planes([50, 120, 250]), Float32Array.of(0), planes([50, 120, 250]), out);
    expect([...out]).toEqual([0, 0, 0]);
  });
});

describe('push-pull fill', () => {
  it('keeps weighted pixels and fills a hole from its neighbours', () => {
    // 1 x 4 row: 10, ?, ?, 30 -> pooled pairs (10) and (30): each hole takes its own pair's value.
    const [filled] = pushPullFill([Float32Array.of(10, 0, 0, 30)], Float32Array.of(1, 0, 0, 1), 4, 1);
    expect([...filled]).toEqual([10, 10, 30, 30]);
  });

  it('fills a large hole from the coarsest level, the mean of everything known', () => {
    const [filled] = pushPullFill([Float32Array.of(4, 0, 0, 0, 0, 0, 0, 8)], Float32Array.of(1, 0, 0, 0, 0, 0, 0, 1), 8, 1);
    expect(filled[0]).toBe(4);
    expect(filled[7]).toBe(8);
    expect(filled[3]).toBe(4); // pairs (4, ?) -> 4; quads (4), (8); the hole in the left quad takes 4
    expect(filled[4]).toBe(8);
  });

  it('pools weighted means over cells, weights capped at 1', () => {
    const pooled = poolWeighted([Float32Array.of(2, 4, 6, 8)], Float32Array.of(1, 1, 0, 0.5), 4, 1, 2);
    expect(pooled.width).toBe(2);
    expect([...pooled.planes[0]]).toEqual([3, 8]);
    expect([...pooled.weight]).toEqual([1, 0.5]);
  });

  it('refuses an all-zero weight map', () => {
    expect(() => pushPullFill([new Float32Array(4)], new Float32Array(4), 2, 2)).toThrow(MetricError);
  });
});

describe('foreground estimate', () => {
  it('recovers F in a mixed pixel from the pure pixels around it', () => {
    // Row: B B mix F F with B = (0, 0, 200), F = (200, 100, 0), mix at alpha 0.6.
    const image = rgbaImage(5, 1);
    const alpha = floatImage(5, 1, Float32Array.of(0, 0, 0.6, 1, 1));
    const put = (i: number, c: number[]) => image.data.set([...c, 255], i * 4);
    put(0, [0, 0, 200]);
    put(1, [0, 0, 200]);
    put(2, [120, 60, 80]);
    put(3, [200, 100, 0]);
    put(4, [200, 100, 0]);
    const fg = estimateForeground(image, alpha);
    // B at pixel 2 is filled from pixels 0-1 -> (0, 0, 200); F = (C - 0.4 B) / 0.6 = (200, 100, 0).
    expect(fg[0][2]).toBeCloseTo(200, 3);
    expect(fg[1][2]).toBeCloseTo(100, 3);
    expect(fg[2][2]).toBeCloseTo(0, 3);
  });
});

describe('keyFrame', () => {
  it('keys a synthetic blue screen with a grey square and a half-transparent band', () => {
    const w = 48;
    const h = 32;
    const frame = rgbaImage(w, h);
    const truth = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const a = x >= 16 && x < 32 && y >= 8 && y < 24 ? 1 : x === 32 && y >= 8 && y < 24 ? 0.5 : 0;
        truth[y * w + x] = a;
        const f = [90, 85, 80];
        const k = [50, 125, 247];
        frame.data.set([...f.map((v, c) => Math.round(a * v + (1 - a) * k[c])), 255], (y * w + x) * 4);
      }
    }
    const key = keyFrame(frame, { coreRadius: 2, solidRadius: 1 });
    expect(key.alpha.data[16 * w + 4]).toBe(0);
    expect(key.alpha.data[16 * w + 24]).toBe(1);
    expect(key.alpha.data[16 * w + 32]).toBeCloseTo(0.5, 1);
    const over = compositeKeyed(key, rgbaImage(w, h, new Uint8Array(w * h * 4).fill(255)));
    // Half grey over white: 0.5 * 90 + 0.5 * 255 -> about 172 in red.
    expect(over.data[(16 * w + 32) * 4]).toBeGreaterThan(160);
    expect(over.data[(16 * w + 32) * 4]).toBeLessThan(185);
  });

  it('says so when there is no blue screen', () => {
    const grey = rgbaImage(8, 8, new Uint8Array(256).fill(128));
    expect(() => keyFrame(grey)).toThrow(/no blue screen/);
  });
});
