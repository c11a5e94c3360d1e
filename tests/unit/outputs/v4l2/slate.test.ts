import { describe, expect, it } from 'vitest';
import { pausedSlate, renderText, SLATE_TEXT } from '../../../../src/outputs/v4l2/slate';

function maskRows(m: { width: number; height: number; data: Uint8Array }): string[] {
  const rows: string[] = [];
  for (let y = 0; y < m.height; y++) rows.push([...m.data.subarray(y * m.width, (y + 1) * m.width)].map((v) => (v ? '#' : '.')).join(''));
  return rows;
}

describe('renderText', () => {
  it('draws a glyph from the 5x7 font', () => {
    expect(maskRows(renderText('P', 1))).toEqual(['####.', '#...#', '#...#', '####.', '#....', '#....', '#....']);
  });

  it('puts one blank column between letters and scales each font pixel to a block', () => {
    const two = renderText('PE', 1);
    expect(two.width).toBe(11);
    expect(maskRows(two)[0]).toBe('####..#####');
    const big = renderText('P', 2);
    expect(big.width).toBe(10);
    expect(maskRows(big).slice(0, 2)).toEqual(['########..', '########..']);
  });

  it('refuses a character it has no glyph for and a bad scale', () => {
    expect(() => renderText('x', 1)).toThrow(/no glyph for "x"/);
    expect(() => renderText('P', 0)).toThrow(/positive integer/);
  });
});

describe('pausedSlate', () => {
  it('is exactly the output size, opaque, dark at the edges', () => {
    const s = pausedSlate(640, 360);
    expect([s.width, s.height, s.data.length]).toEqual([640, 360, 640 * 360 * 4]);
    for (let i = 3; i < s.data.length; i += 4) if (s.data[i] !== 255) throw new Error(`pixel ${(i - 3) / 4} is not opaque`);
    expect([...s.data.subarray(0, 4)]).toEqual([32, 36, 40, 255]);
  });

  it('draws the text centred: at 640 wide each font pixel is a 4x4 block', () => {
    // 13 letters * 6 columns - 1 = 77 font columns; floor(640 / 2 / 77) = 4 -> 308 px wide, 28 px high.
    const s = pausedSlate(640, 360);
    const text = renderText(SLATE_TEXT, 4);
    const tx = (640 - 308) / 2;
    // Block: bars 56 high, a 28 gap, text 28 high -> 112 in all, top at (360 - 112) / 2 = 124.
    const ty = 124 + 56 + 28;
    let mismatches = 0;
    for (let y = 0; y < text.height; y++) {
      for (let x = 0; x < text.width; x++) {
        const lit = s.data[((ty + y) * 640 + tx + x) * 4] === 200;
        if (lit !== (text.data[y * text.width + x] === 1)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('is a plain field where the text cannot fit, and refuses a non-size', () => {
    const tiny = pausedSlate(4, 2);
    expect([...tiny.data]).toEqual(Array.from({ length: 8 }, () => [32, 36, 40, 255]).flat());
    expect(() => pausedSlate(0, 10)).toThrow(/slate size/);
  });
});
