import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage } from '../../../../src/frame';
import { bandRadius, downscaleTrimap, makeTrimap, TrimapError, trimapFromImage, unknownBox, updateTrimap } from '../../../../src/engine/pixels/trimap';

const F = 255;
const U = 128;
const B = 0;

function show(data: Uint8Array, w: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < data.length; i += w) rows.push(Array.from(data.subarray(i, i + w), (v) => (v === F ? 'F' : v === B ? 'B' : '?')).join(''));
  return rows;
}

describe('makeTrimap', () => {
  it('erodes the confident regions by the band radius, leaving the rest unknown', () => {
    // A 5x5 person in a 7x7 frame, radius 1: the person keeps its inner 3x3; of the one-pixel ring of
    // background only the corners are further than 1 from the person.
    const prob = floatImage(7, 7);
    for (let y = 1; y < 6; y++) for (let x = 1; x < 6; x++) prob.data[y * 7 + x] = 1;
    const t = makeTrimap(prob, { bandFraction: 0, minBandPx: 1 });
    expect(show(t.data, 7)).toEqual(['B?????B', '???????', '??FFF??', '??FFF??', '??FFF??', '???????', 'B?????B']);
  });

  it('classifies by the thresholds when there is no band', () => {
    const prob = floatImage(5, 1, Float32Array.from([0.05, 0.1, 0.5, 0.9, 0.95]));
    expect(Array.from(makeTrimap(prob, { bandFraction: 0, minBandPx: 0 }).data)).toEqual([B, U, U, U, F]);
    expect(Array.from(makeTrimap(prob, { bandFraction: 0, minBandPx: 0, fgThreshold: 0.4, bgThreshold: 0.2 }).data)).toEqual([B, B, F, F, F]);
  });

  it('treats NaN as unknown', () => {
    const prob = floatImage(3, 1, Float32Array.from([0, Number.NaN, 1]));
    expect(Array.from(makeTrimap(prob, { bandFraction: 0, minBandPx: 0 }).data)).toEqual([B, U, F]);
  });

  it('scales the band with the short side, never below minBandPx', () => {
    expect(bandRadius(640, 360)).toBeCloseTo(7.2, 6);
    expect(bandRadius(1280, 720)).toBeCloseTo(14.4, 6);
    expect(bandRadius(20, 20)).toBe(1);
    expect(bandRadius(1280, 720, { bandFraction: 0.01 })).toBeCloseTo(7.2, 6);
  });

  it('rejects thresholds out of order, out of [0, 1], and a negative band', () => {
    const prob = floatImage(2, 2);
    expect(() => makeTrimap(prob, { fgThreshold: 0.2, bgThreshold: 0.3 })).toThrow(TrimapError);
    expect(() => makeTrimap(prob, { fgThreshold: 1.5 })).toThrow(/thresholds/);
    expect(() => makeTrimap(prob, { bandFraction: -0.1 })).toThrow(/bandFraction/);
    expect(() => makeTrimap(floatImage(2, 2, new Float32Array(4)), {}, { width: 3, height: 2, data: new Uint8Array(6) })).toThrow(TrimapError);
  });
});

describe('trimap helpers', () => {
  it('reads a benchmark trimap image: 0 and 255 known, anything else unknown', () => {
    const img = rgbaImage(4, 1, Uint8Array.from([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 200, 200, 200, 255]));
    expect(Array.from(trimapFromImage(img).data)).toEqual([B, U, F, U]);
  });

  it('bounds the unknown pixels, or says there are none', () => {
    const t = { width: 4, height: 3, data: Uint8Array.from([B, B, B, B, B, U, B, F, B, B, U, F]) };
    expect(unknownBox(t)).toEqual({ x0: 1, y0: 1, x1: 3, y1: 3 });
    expect(unknownBox({ width: 2, height: 1, data: Uint8Array.from([B, F]) })).toBeNull();
  });
});

describe('downscaleTrimap', () => {
  const trimap = (rows: string[]) => ({
    width: rows[0].length,
    height: rows.length,
    data: Uint8Array.from(rows.join(''), (c) => (c === 'F' ? F : c === 'B' ? B : U)),
  });

  it('keeps a pixel known only where its whole footprint agrees', () => {
    // 4x4 to 2x2: each target pixel reads one 2x2 block.
    const t = trimap(['BBFF', 'BBFF', 'BFFF', 'BBFF']);
    expect(show(downscaleTrimap(t, { x0: 0, y0: 0, x1: 4, y1: 4 }, 2, 2).data, 2)).toEqual(['BF', '?F']);
  });

  it('never lets a thin unknown line vanish', () => {
    // A one-pixel unknown column would fall between samples at half size; the footprint sees it.
    const t = trimap(['BB?FFF', 'BB?FFF']);
    expect(show(downscaleTrimap(t, { x0: 0, y0: 0, x1: 6, y1: 2 }, 3, 1).data, 3)).toEqual(['B?F']);
  });

  it('reads only the window, and upscales by copying', () => {
    const t = trimap(['BBBB', 'B?FB', 'BBBB']);
    expect(show(downscaleTrimap(t, { x0: 1, y0: 1, x1: 3, y1: 2 }, 4, 2).data, 4)).toEqual(['??FF', '??FF']);
  });

  it('refuses a window outside the trimap', () => {
    const t = trimap(['BB', 'BB']);
    expect(() => downscaleTrimap(t, { x0: 0, y0: 0, x1: 3, y1: 2 }, 1, 1)).toThrow(TrimapError);
  });
});

describe('updateTrimap (only where the mask changed)', () => {
  /** A deterministic pseudo-random probability: runs of confident person, background and unsure. */
  function prob(w: number, h: number, seed: number): Float32Array {
    let s = seed;
    return Float32Array.from({ length: w * h }, (_, i) => {
      s = (s * 1103515245 + 12345) >>> 0;
      const x = i % w;
      const y = Math.floor(i / w);
      const disc = Math.hypot(x - w / 2, y - h / 2) < Math.min(w, h) / 3 ? 1 : 0;
      return (s >>> 24) < 16 ? (s >>> 8) / 2 ** 24 : disc;
    });
  }

  it('is exactly makeTrimap of the new probability, whatever changed, at any band width', () => {
    for (const [w, h, bandFraction] of [
      [24, 16, 0.1],
      [40, 30, 0.05],
      [9, 7, 0.2],
    ] as const) {
      for (let seed = 1; seed <= 6; seed++) {
        const before = floatImage(w, h, prob(w, h, seed));
        const after = floatImage(w, h, before.data.slice());
        // A hand moves: a small block flips side, somewhere, sometimes at the edge.
        const bx = (seed * 7) % w;
        const by = (seed * 5) % h;
        for (let y = by; y < Math.min(h, by + 3); y++) for (let x = bx; x < Math.min(w, bx + 4); x++) after.data[y * w + x] = 1 - after.data[y * w + x];
        const opts = { bandFraction };
        const updated = updateTrimap(makeTrimap(before, opts), before.data, after, opts);
        expect(Array.from(updated.data), `${w}x${h} seed ${seed}`).toEqual(Array.from(makeTrimap(after, opts).data));
      }
    }
  });

  it('hands back the previous trimap when no pixel changed side', () => {
    const before = floatImage(8, 6, prob(8, 6, 3));
    const after = floatImage(8, 6, before.data.map((v) => (v > 0.9 ? Math.min(1, v + 0.01) : v)));
    const previous = makeTrimap(before);
    expect(updateTrimap(previous, before.data, after)).toBe(previous);
  });
});
