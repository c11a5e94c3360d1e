import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage } from '../../../src/frame';
import { composite, cutEdges, FRAME, mirrorKey, placement, plainWall, readNpyRgb, stack } from '../../../scripts/engine-training-samples';
import { mulberry32 } from '../../../scripts/seeded-random';

const key = (width: number, height: number, alpha: number[], premultiplied: number[]) => ({
  alpha: floatImage(width, height, Float32Array.from(alpha)),
  foreground: Float32Array.from(premultiplied),
});

describe('where a keyed person goes in the frame', () => {
  it('finds the edges a person runs off', () => {
    // 3 x 2: alpha 1 at the left column's top; the right column reaches only 0.4.
    expect(cutEdges(floatImage(3, 2, Float32Array.from([1, 0.6, 0, 0, 0, 0.4])))).toEqual({ left: true, right: false });
  });

  it('stands on the bottom edge at the asked scale, against the side the person runs off', () => {
    // A 400 x 360 key at half the frame's height: 400 x 360 -> 400 x 360.
    expect(placement(400, 360, { left: false, right: true }, 0.5, 0.3)).toEqual({ x: FRAME.width - 400, y: 360, width: 400, height: 360 });
    expect(placement(400, 360, { left: true, right: false }, 0.5, 0.3)).toEqual({ x: 0, y: 360, width: 400, height: 360 });
    // Running off neither side, u places it: 0.5 of the 880 free pixels.
    expect(placement(400, 360, { left: false, right: false }, 0.5, 0.5)).toEqual({ x: 440, y: 360, width: 400, height: 360 });
  });

  it('widens a key cut on both sides to the frame, its top leaving the frame', () => {
    // 1200 x 720 at scale 1 is 1200 wide; widened to 1280 it is 768 high, 48 above the frame.
    expect(placement(1200, 720, { left: true, right: true }, 1, 0)).toEqual({ x: 0, y: -48, width: 1280, height: 768 });
  });

  it('mirrors colour and alpha together', () => {
    const m = mirrorKey(key(2, 1, [1, 0.5], [10, 20, 30, 40, 50, 60]));
    expect(Array.from(m.alpha.data)).toEqual([0.5, 1]);
    expect(Array.from(m.foreground)).toEqual([40, 50, 60, 10, 20, 30]);
  });
});

describe('the composite and its truth', () => {
  it('puts alpha F + (1 - alpha) B in the frame, the true alpha and straight F beside it', () => {
    const background = rgbaImage(2, 1, Uint8Array.from([100, 100, 100, 255, 200, 0, 0, 255]));
    // Key pixel 0: opaque red; pixel 1: half covered by (200, 0, 0) straight, i.e. 100 premultiplied.
    const c = composite(key(2, 1, [1, 0.5], [255, 0, 0, 100, 0, 0]), { x: 0, y: 0, width: 2, height: 1 }, background);
    expect(Array.from(c.clean.data)).toEqual([255, 0, 0, 255, 200, 0, 0, 255]);
    // 0.5 is stored as 128/255, so B weighs 1 - 128/255 and F is 100 / (128/255).
    expect(Array.from(c.alpha.data)).toEqual([255, 255, 255, 255, 128, 128, 128, 255]);
    expect(Array.from(c.foreground.data.slice(0, 5))).toEqual([255, 0, 0, 255, 199]);
    expect(c.background).toBe(background);
  });

  it('leaves the frame alone where the key is transparent or outside it', () => {
    const background = rgbaImage(2, 1, Uint8Array.from([1, 2, 3, 255, 4, 5, 6, 255]));
    const c = composite(key(1, 1, [1], [9, 9, 9]), { x: 1, y: 0, width: 1, height: 1 }, background);
    expect(Array.from(c.clean.data)).toEqual([1, 2, 3, 255, 9, 9, 9, 255]);
    expect(Array.from(c.alpha.data.slice(0, 3))).toEqual([0, 0, 0]);
  });
});

describe('files', () => {
  it('reads a NumPy uint8 H x W x 3 photo', () => {
    const header = "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 3), }";
    const padded = header.padEnd(118, ' ') + '\n';
    const bytes = Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), Buffer.from([padded.length, 0]), Buffer.from(padded, 'latin1'), Buffer.from([1, 2, 3, 4, 5, 6])]);
    const image = readNpyRgb(bytes);
    expect([image.width, image.height]).toEqual([2, 1]);
    expect(Array.from(image.data)).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
  });

  it('refuses a photo that is not uint8 RGB, naming what it found', () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3), }\n";
    const bytes = Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), Buffer.from([header.length, 0]), Buffer.from(header, 'latin1')]);
    expect(() => readNpyRgb(bytes)).toThrow(/uint8 H x W x 3.*<f4/);
    expect(() => readNpyRgb(Buffer.from('nope'))).toThrow(/not a .npy/);
  });

  it('stacks blocks top to bottom and refuses blocks of different sizes', () => {
    const a = rgbaImage(1, 1, Uint8Array.from([1, 1, 1, 1]));
    const b = rgbaImage(1, 1, Uint8Array.from([2, 2, 2, 2]));
    const s = stack([a, b]);
    expect([s.width, s.height]).toEqual([1, 2]);
    expect(Array.from(s.data)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    expect(() => stack([a, rgbaImage(2, 1)])).toThrow(/differ in size/);
  });
});

describe('a plain wall behind the person', () => {
  it('is the same for the same seed, muted, and smooth but for a soft panel edge', () => {
    const a = plainWall(64, 36, mulberry32(3));
    expect(Array.from(plainWall(64, 36, mulberry32(3)).data)).toEqual(Array.from(a.data));
    let steepest = 0;
    for (let y = 0; y < 36; y++) {
      for (let x = 1; x < 64; x++) {
        const o = (y * 64 + x) * 4;
        for (let c = 0; c < 3; c++) steepest = Math.max(steepest, Math.abs(a.data[o + c] - a.data[o - 4 + c]));
        // Saturation at most 0.35: the weakest channel keeps 65 % of the strongest, give or take rounding.
        const rgb = [a.data[o], a.data[o + 1], a.data[o + 2]];
        expect(Math.min(...rgb)).toBeGreaterThanOrEqual(0.65 * Math.max(...rgb) - 1);
        expect(a.data[o + 3]).toBe(255);
      }
    }
    expect(steepest).toBeLessThanOrEqual(12);
  });
});
