import { describe, expect, it } from 'vitest';
import { PixelError } from '../../../../src/engine/pixels/errors';
import { dilate, erode } from '../../../../src/engine/pixels/morphology';

function grid(rows: string[]): Uint8Array {
  return Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0));
}

function show(mask: Uint8Array, w: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < mask.length; i += w) rows.push(Array.from(mask.subarray(i, i + w), (v) => (v ? '#' : '.')).join(''));
  return rows;
}

describe('erode', () => {
  it('shrinks a 3x3 block to its centre with radius 1', () => {
    const mask = grid(['.....', '.###.', '.###.', '.###.', '.....']);
    expect(show(erode(mask, 5, 5, 1), 5)).toEqual(['.....', '.....', '..#..', '.....', '.....']);
  });

  it('does not erode from the image border: outside counts as set', () => {
    const mask = grid(['###', '###', '###']);
    expect(show(erode(mask, 3, 3, 1), 3)).toEqual(['###', '###', '###']);
  });

  it('uses a Euclidean disc: a hole erodes its 4-neighbours at radius 1, the diagonals too at radius 1.5', () => {
    const mask = grid(['#####', '#####', '##.##', '#####', '#####']);
    expect(show(erode(mask, 5, 5, 1), 5)).toEqual(['#####', '##.##', '#...#', '##.##', '#####']);
    expect(show(erode(mask, 5, 5, 1.5), 5)).toEqual(['#####', '#...#', '#...#', '#...#', '#####']);
  });

  it('keeps the mask as it is at radius 0', () => {
    const mask = grid(['#..', '.#.', '..#']);
    expect(Array.from(erode(mask, 3, 3, 0))).toEqual(Array.from(mask));
  });

  it('can work in place', () => {
    const mask = grid(['.....', '.###.', '.###.', '.###.', '.....']);
    erode(mask, 5, 5, 1, mask);
    expect(show(mask, 5)).toEqual(['.....', '.....', '..#..', '.....', '.....']);
  });
});

describe('dilate', () => {
  it('grows one pixel into a plus at radius 1 and a 3x3 square at radius 1.5', () => {
    const mask = grid(['.....', '.....', '..#..', '.....', '.....']);
    expect(show(dilate(mask, 5, 5, 1), 5)).toEqual(['.....', '..#..', '.###.', '..#..', '.....']);
    expect(show(dilate(mask, 5, 5, 1.5), 5)).toEqual(['.....', '.###.', '.###.', '.###.', '.....']);
  });

  it('leaves an empty mask empty', () => {
    expect(Array.from(dilate(new Uint8Array(9), 3, 3, 2))).toEqual(new Array(9).fill(0));
  });

  it('rejects a negative or non-finite radius', () => {
    expect(() => dilate(new Uint8Array(4), 2, 2, -1)).toThrow(PixelError);
    expect(() => erode(new Uint8Array(4), 2, 2, Number.NaN)).toThrow(/radius/);
  });
});
