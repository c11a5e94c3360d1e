import { describe, expect, it } from 'vitest';
import { floatImage } from '../../../../src/frame';
import { connectedComponents, keepPeople, splitInstances, type FaceSeed } from '../../../../src/engine/pixels/instances';

/**
 * The instance split on masks small enough to label by hand. In the pictures '#' is a person pixel
 * (probability 1), '.' background (0), 'v' a valley pixel (0.55: still person, but weak), 'o' a soft
 * edge (0.3: below the threshold).
 */
const VALUES: Record<string, number> = { '#': 1, '.': 0, v: 0.55, o: 0.3 };
function mask(...rows: string[]) {
  const width = rows[0].length;
  return floatImage(width, rows.length, Float32Array.from(rows.join(''), (ch) => VALUES[ch]));
}
/** A face over pixel columns [x0, x1) and rows [y0, y1) of a width x height mask. */
function face(id: number, x0: number, y0: number, x1: number, y1: number, width: number, height: number): FaceSeed {
  return { id, box: { xmin: x0 / width, ymin: y0 / height, xmax: x1 / width, ymax: y1 / height } };
}
function picture(labels: Uint16Array, width: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < labels.length; i += width) rows.push(Array.from(labels.subarray(i, i + width)).join(''));
  return rows;
}

describe('connectedComponents', () => {
  it('joins diagonal neighbours (8-connected) and numbers components in scan order', () => {
    const { component, sizes } = connectedComponents(Uint8Array.from('#..#.#......##..', (c) => (c === '#' ? 1 : 0)), 4, 4);
    expect(Array.from(component)).toEqual([0, -1, -1, 1, -1, 0, -1, -1, -1, -1, -1, -1, 2, 2, -1, -1]);
    expect(sizes).toEqual([2, 1, 2]);
  });
});

describe('splitInstances', () => {
  it('splits two touching people along the weak pixels between them', () => {
    // Faces over columns 1-2 and 5-6, rows 0-1. The people touch through columns 3-4, which are weak (cost 1 + 4
    // per step against 1): column 3 is 5 from A and 10 from B, so A's; column 4 is B's. The background of rows
    // 0-1 (probability 0) is nobody's.
    const m = mask('.##..##.', '.##..##.', '###vv###', '###vv###', '###vv###', '###vv###');
    const split = splitInstances(m, [face(7, 1, 0, 3, 2, 8, 6), face(9, 5, 0, 7, 2, 8, 6)]);
    expect(picture(split.labels, 8)).toEqual(['01100220', '01100220', ...Array(4).fill('11112222')]);
    expect(split.people).toEqual([
      { label: 1, faceId: 7, area: 20 },
      { label: 2, faceId: 9, area: 20 },
    ]);
    expect(split.rejected).toEqual([]);
  });

  it('puts the border in the valley, not halfway between the faces', () => {
    // Seeds cover columns 0-1 and 8-9 (the face and a face-high strip below). Row 2-3 corridor, weak at column 6.
    // Plain distance would give column 5 to B (4 steps from A, 3 from B); through the valley B pays 5 + 1 + 1 for
    // it against A's 4, so A keeps columns 0-5.
    const m = mask('##......##', '##......##', '######v###', '######v###');
    const faces = [face(1, 0, 0, 2, 2, 10, 4), face(2, 8, 0, 10, 2, 10, 4)];
    const rows = picture(splitInstances(m, faces).labels, 10);
    expect(rows.slice(2)).toEqual(['1111112222', '1111112222']);
    const flat = picture(splitInstances(m, faces, { valleyCost: 0 }).labels, 10);
    expect(flat.slice(2)).toEqual(['1111122222', '1111122222']);
  });

  it('gives a face with no person under it, or no body below it, no person', () => {
    // Face 5 is over background (a poster the segmenter ignored); face 6 is over a face-sized blob with nothing
    // below (a poster the segmenter took for a person). The person at the bottom has no face.
    const m = mask('......##', '......##', '........', '###.....', '###.....', '###.....');
    const split = splitInstances(m, [face(5, 0, 0, 2, 2, 8, 6), face(6, 6, 0, 8, 2, 8, 6)]);
    expect(split.rejected).toEqual([5, 6]);
    // Two faceless people: the bottom one (9 pixels) first, then the poster blob (4).
    expect(split.people).toEqual([
      { label: 3, faceId: null, area: 9 },
      { label: 4, faceId: null, area: 4 },
    ]);
  });

  it('asks no body of a face at the bottom edge, whose body the frame cut off', () => {
    // The same face-sized blob as a poster's, but in the last two rows: no room below, so it is a person.
    const m = mask('....', '....', '....', '....', '.##.', '.##.');
    const split = splitInstances(m, [face(3, 1, 4, 3, 6, 4, 6)]);
    expect(split.rejected).toEqual([]);
    expect(split.people).toEqual([{ label: 1, faceId: 3, area: 4 }]);
  });

  it('keeps a hand that the mask cut off with its person, and makes a faraway stranger a person of their own', () => {
    // Person A (face rows 0-1, columns 0-1) and a detached blob at column 3 one pixel away (a hand): within a face
    // height (2), so A's. The blob at columns 9-10 is 7 away: a faceless person.
    const m = mask('##.#.....##', '##.#.....##', '##.......##', '##.......##');
    const split = splitInstances(m, [face(1, 0, 0, 2, 2, 11, 4)]);
    // Person pixels only: background between the two is as near one as the other in places.
    const at = (x: number, y: number) => split.labels[y * 11 + x];
    expect([at(3, 0), at(3, 1), at(0, 3)]).toEqual([1, 1, 1]);
    expect([at(9, 0), at(10, 3)]).toEqual([2, 2]);
    expect(split.people).toEqual([
      { label: 1, faceId: 1, area: 10 },
      { label: 2, faceId: null, area: 8 },
    ]);
  });

  it('lets the larger face keep pixels two face boxes share', () => {
    // Face 1 (2x2 at columns 0-1) and face 2 (3x3 at columns 1-3) overlap at column 1; the larger claims it.
    const m = mask('####', '####', '####', '####', '####', '####');
    const split = splitInstances(m, [face(1, 0, 0, 2, 2, 4, 6), face(2, 1, 0, 4, 3, 4, 6)]);
    expect(picture(split.labels, 4).slice(0, 2)).toEqual(['1222', '1222']);
  });

  it('labels soft-edge pixels with the nearest person, and pixels of no probability with no one', () => {
    const m = mask('o##o.', 'o##o.', '####.', '####.');
    const split = splitInstances(m, [face(4, 1, 0, 3, 2, 5, 4)]);
    expect(picture(split.labels, 5)).toEqual(['11110', '11110', '11110', '11110']);
    expect(split.people).toEqual([{ label: 1, faceId: 4, area: 12 }]);
  });

  it('finds no one in an empty mask', () => {
    const split = splitInstances(mask('....', '....'), [face(1, 0, 0, 2, 2, 4, 2)]);
    expect(Array.from(split.labels)).toEqual(new Array(8).fill(0));
    expect(split.people).toEqual([]);
    expect(split.rejected).toEqual([1]);
  });
});

describe('keepPeople', () => {
  it('keeps the probability of the kept labels and zeroes the rest', () => {
    const m = mask('.##..##.', '.##..##.', '###vv###', '###vv###', '###vv###', '###vv###');
    const split = splitInstances(m, [face(7, 1, 0, 3, 2, 8, 6), face(9, 5, 0, 7, 2, 8, 6)]);
    const out = keepPeople(m, split, new Set([2]), floatImage(8, 6));
    expect(Array.from(out.data.subarray(16, 24))).toEqual([0, 0, 0, 0, 0.550000011920929, 1, 1, 1]);
    expect(() => keepPeople(m, split, new Set([1]), floatImage(4, 4))).toThrow(/keepPeople: mask 8x6, split 8x6, output 4x4 differ/);
  });
});
