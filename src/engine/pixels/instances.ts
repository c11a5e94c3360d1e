import type { FloatImage } from '../../frame';
import { assertDimensions, assertLength, PixelError } from './errors';

/**
 * Person instances from a person probability mask and face boxes. The segmenter labels every person
 * alike; faces tell them apart. The rule, in order:
 *
 *  1. Person pixels (probability >= threshold) fall into connected components (8-connected).
 *  2. A face seeds the component under it, if that component has a body: enough person pixels outside the
 *     face box from its middle down (neck, shoulders, ears and hair beside the cheeks; a face in a poster
 *     the segmenter took for a person has next to none, so it makes no person). Less is asked of a face
 *     near the bottom of the frame, whose body the frame cuts off, and nothing within half a face of it. The seed is the face box and a
 *     face-high strip below it (neck and chest), so the torso starts out with its own face.
 *  3. A component holding several seeds (people touching) is split by geodesic growth from all seeds at
 *     once: a step costs more where the probability is low, so the border settles in the valley between
 *     two people rather than halfway between their faces. Hands and held objects connected to a person are
 *     reached through that person.
 *  4. A component with no face goes to the nearest person if it lies within a face height of them (a hand
 *     or object the mask cut off); otherwise it is a person of its own with no face (seen from behind).
 *  5. Pixels below the threshold (the soft edge, down to 1/255, the least an 8-bit alpha shows) take the
 *     label of the nearest person pixel; pixels of less probability are nobody's (label 0).
 *
 * Sizes are the mask's (the segmenter's resolution), where this costs a fraction of a millisecond.
 */

/** A normalised box (0..1 of the mask's width and height). */
export interface SeedBox {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

export interface FaceSeed {
  /** The face's identity, carried to the person it seeds. */
  id: number;
  box: SeedBox;
}

export interface PersonInstance {
  /** Its pixels in InstanceSplit.labels. */
  label: number;
  /** The face that seeded it, or null for a person no face claims. */
  faceId: number | null;
  /** Person pixels (at or above the threshold). */
  area: number;
}

export interface InstanceSplit {
  width: number;
  height: number;
  /** Per pixel: 0 where there is (next to) no person probability, else the label of the person it belongs to. */
  labels: Uint16Array;
  /** Seeded people first (in the order of `faces`), then people with no face, largest first. */
  people: PersonInstance[];
  /** Faces that made no person (no person pixels under them, or no body below). */
  rejected: number[];
}

export interface SplitOptions {
  /** Probability at which a pixel counts as person. */
  threshold?: number;
  /** Body pixels needed for a face, as a fraction of its area (less where the frame ends below the face). */
  minBody?: number;
  /** Fraction of the face box that must be person for the face to seed anything. */
  minFaceCover?: number;
  /** Extra cost of a step onto a pixel of probability p: round(valleyCost * (1 - p)), on top of 1. */
  valleyCost?: number;
  /** How far (in face heights) a faceless component may lie from a person to be counted as theirs. */
  attachDistance?: number;
}

const DEFAULTS: Required<SplitOptions> = { threshold: 0.5, minBody: 0.5, minFaceCover: 0.25, valleyCost: 8, attachDistance: 1 };

interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function pixelBox(b: SeedBox, width: number, height: number): PixelBox {
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));
  return {
    x0: clamp(Math.floor(b.xmin * width), width),
    y0: clamp(Math.floor(b.ymin * height), height),
    x1: clamp(Math.ceil(b.xmax * width), width),
    y1: clamp(Math.ceil(b.ymax * height), height),
  };
}

/** 8-connected components of `core`; -1 outside it. Returns the component of each pixel and each component's size. */
export function connectedComponents(core: Uint8Array, width: number, height: number): { component: Int32Array; sizes: number[] } {
  assertLength(core, width * height, 'component mask');
  const component = new Int32Array(width * height).fill(-1);
  const sizes: number[] = [];
  // Each pixel is pushed once, so a stack of n entries never overflows.
  const stack = new Int32Array(width * height);
  for (let start = 0; start < core.length; start++) {
    if (!core[start] || component[start] >= 0) continue;
    const id = sizes.length;
    let size = 0;
    let top = 0;
    component[start] = id;
    stack[top++] = start;
    while (top > 0) {
      const i = stack[--top];
      size++;
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (core[j] && component[j] < 0) {
            component[j] = id;
            stack[top++] = j;
          }
        }
      }
    }
    sizes.push(size);
  }
  return { component, sizes };
}

/** Below this, a pixel would not show in an 8-bit alpha, so the soft edge need not reach it. */
const SOFT_FLOOR = 1 / 255;

/**
 * Multi-source breadth-first growth (4-connected): every pixel reached takes the label of the nearest
 * labelled pixel and its distance in steps (-1 where none reached it). Growth goes only into `allowed`
 * pixels (all when null) and no further than `maxDistance` steps. `labels` is updated in place.
 */
function spreadNearest(labels: Uint16Array, width: number, height: number, allowed: Uint8Array | null, maxDistance: number): Int32Array {
  const n = width * height;
  const distance = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0) {
      distance[i] = 0;
      queue[tail++] = i;
    }
  }
  // Neighbours written out rather than through a helper closure: closures per pixel cost more than the
  // growth itself here.
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    if (distance[i] >= maxDistance) continue;
    const x = i % width;
    const next = distance[i] + 1;
    const label = labels[i];
    for (let k = 0; k < 4; k++) {
      let j: number;
      if (k === 0) {
        if (x === 0) continue;
        j = i - 1;
      } else if (k === 1) {
        if (x === width - 1) continue;
        j = i + 1;
      } else if (k === 2) {
        if (i < width) continue;
        j = i - width;
      } else {
        if (i + width >= n) continue;
        j = i + width;
      }
      if (distance[j] < 0 && (allowed === null || allowed[j])) {
        distance[j] = next;
        labels[j] = label;
        queue[tail++] = j;
      }
    }
  }
  return distance;
}

/**
 * Geodesic growth inside `core` from the labelled pixels of the components marked in `shared`, with integer
 * step costs (Dial's bucket queue): each unlabelled core pixel reachable from a seed takes the label of the
 * seed it is cheapest to reach. Growth never leaves a component, since components do not touch.
 */
function growGeodesic(
  labels: Uint16Array,
  core: Uint8Array,
  component: Int32Array,
  shared: Uint8Array,
  prob: Float32Array,
  width: number,
  height: number,
  valleyCost: number,
): void {
  const n = core.length;
  const cost = new Int32Array(n).fill(0x7fffffff);
  // What entering each pixel costs, worked out once rather than once per neighbour.
  const step = new Uint8Array(n);
  for (let i = 0; i < n; i++) step[i] = 1 + Math.round(valleyCost * (1 - prob[i]));
  const buckets: number[][] = Array.from({ length: valleyCost + 2 }, () => []);
  let pending = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0 && core[i] && shared[component[i]]) {
      cost[i] = 0;
      buckets[0].push(i);
      pending++;
    }
  }
  for (let d = 0; pending > 0; d++) {
    const bucket = buckets[d % buckets.length];
    while (bucket.length > 0) {
      const i = bucket.pop()!;
      pending--;
      if (cost[i] !== d) continue;
      // 8-connected, as the components are, so every pixel of a seeded component is reached.
      const x = i % width;
      const y = (i - x) / width;
      const label = labels[i];
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if ((dx === 0 && dy === 0) || nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (!core[j]) continue;
          const c = d + step[j];
          if (c < cost[j]) {
            cost[j] = c;
            labels[j] = label;
            buckets[c % buckets.length].push(j);
            pending++;
          }
        }
      }
    }
  }
}

export function splitInstances(prob: FloatImage, faces: readonly FaceSeed[], options: SplitOptions = {}): InstanceSplit {
  const o = { ...DEFAULTS, ...options };
  const { width, height, data } = prob;
  assertDimensions(width, height, 'instance split mask');
  assertLength(data, width * height, 'instance split mask');
  if (!(o.valleyCost >= 0 && Number.isInteger(o.valleyCost))) throw new PixelError(`valleyCost must be a whole number >= 0, got ${o.valleyCost}`);
  const n = width * height;
  const core = new Uint8Array(n);
  for (let i = 0; i < n; i++) core[i] = data[i] >= o.threshold ? 1 : 0;
  const { component, sizes } = connectedComponents(core, width, height);

  const labels = new Uint16Array(n);
  const people: PersonInstance[] = [];
  const rejected: number[] = [];
  const faceHeight = new Map<number, number>();
  const seeded = new Uint8Array(sizes.length);

  // Larger faces first: where two boxes overlap, the nearer (larger) face keeps the shared pixels.
  const order = faces.map((f, i) => ({ f, i, box: pixelBox(f.box, width, height) }));
  const area = (b: PixelBox) => Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0);
  for (const { f, i, box } of [...order].sort((a, b) => area(b.box) - area(a.box))) {
    const faceArea = area(box);
    // The component holding most of the face box.
    const votes = new Map<number, number>();
    for (let y = box.y0; y < box.y1; y++) {
      for (let x = box.x0; x < box.x1; x++) {
        const c = component[y * width + x];
        if (c >= 0) votes.set(c, (votes.get(c) ?? 0) + 1);
      }
    }
    let best = -1;
    let bestVotes = 0;
    for (const [c, v] of votes) if (v > bestVotes) [best, bestVotes] = [c, v];
    const faceH = box.y1 - box.y0;
    // The frame cuts the body off a face near its bottom edge: nothing is asked where half a face height or
    // less is left below the face, the full amount from a face and a half on.
    const room = Math.min(faceH, Math.max(0, height - box.y1 - faceH / 2));
    const bodyNeeded = o.minBody * (box.x1 - box.x0) * room;
    let body = 0;
    if (best >= 0) {
      const middle = (box.y0 + box.y1) >> 1;
      for (let y = middle; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (component[y * width + x] === best && (y >= box.y1 || x < box.x0 || x >= box.x1)) body++;
        }
      }
    }
    if (faceArea === 0 || bestVotes < o.minFaceCover * faceArea || body < bodyNeeded) {
      rejected.push(f.id);
      continue;
    }
    const label = i + 1;
    faceHeight.set(label, Math.max(1, faceH));
    seeded[best] = 1;
    const yEnd = Math.min(height, box.y1 + faceH);
    for (let y = box.y0; y < yEnd; y++) {
      for (let x = box.x0; x < box.x1; x++) {
        const j = y * width + x;
        if (component[j] === best && labels[j] === 0) labels[j] = label;
      }
    }
  }
  // A component with one person's seeds is all theirs; only components people share need the growth.
  const owner = new Int32Array(sizes.length);
  const shared = new Uint8Array(sizes.length);
  for (let i = 0; i < n; i++) {
    const c = component[i];
    if (c < 0 || labels[i] === 0) continue;
    if (owner[c] === 0) owner[c] = labels[i];
    else if (owner[c] !== labels[i]) shared[c] = 1;
  }
  for (let i = 0; i < n; i++) {
    const c = component[i];
    if (c >= 0 && owner[c] !== 0 && !shared[c]) labels[i] = owner[c];
  }
  if (shared.includes(1)) growGeodesic(labels, core, component, shared, data, width, height, o.valleyCost);

  // Faceless components: a part of the nearest person when close enough, else a person of their own.
  // The search stops at the largest distance any person could claim, and is not needed when every
  // component has a face.
  const nearest = Uint16Array.from(labels);
  const reachMax = o.attachDistance * Math.max(0, ...faceHeight.values());
  const distance = seeded.every((v) => v === 1) ? new Int32Array(n).fill(-1) : spreadNearest(nearest, width, height, null, reachMax);
  const reachLabel = new Int32Array(sizes.length);
  const reachDistance = new Int32Array(sizes.length).fill(0x7fffffff);
  for (let i = 0; i < n; i++) {
    const c = component[i];
    if (c < 0 || seeded[c] || distance[i] < 0 || distance[i] >= reachDistance[c]) continue;
    reachDistance[c] = distance[i];
    reachLabel[c] = nearest[i];
  }
  const componentLabel = new Int32Array(sizes.length);
  const own: { size: number; c: number }[] = [];
  sizes.forEach((size, c) => {
    if (seeded[c]) return;
    const label = reachLabel[c];
    if (label !== 0 && reachDistance[c] <= o.attachDistance * (faceHeight.get(label) ?? 0)) componentLabel[c] = label;
    else own.push({ size, c });
  });
  faces.forEach((f, i) => {
    if (faceHeight.has(i + 1)) people.push({ label: i + 1, faceId: f.id, area: 0 });
  });
  let next = faces.length + 1;
  for (const { c } of own.sort((a, b) => b.size - a.size)) {
    componentLabel[c] = next;
    people.push({ label: next++, faceId: null, area: 0 });
  }
  const areas = new Int32Array(next);
  for (let i = 0; i < n; i++) {
    const c = component[i];
    if (c < 0) continue;
    if (labels[i] === 0) labels[i] = componentLabel[c];
    areas[labels[i]]++;
  }
  for (const p of people) p.area = areas[p.label];
  // The soft edge: every other pixel that could show goes with the nearest person pixel.
  const soft = new Uint8Array(n);
  for (let i = 0; i < n; i++) soft[i] = data[i] >= SOFT_FLOOR ? 1 : 0;
  spreadNearest(labels, width, height, soft, Infinity);
  return { width, height, labels, people, rejected };
}

/** The probability of the kept people only: p where the pixel's label is kept, 0 elsewhere. Written into `out`. */
export function keepPeople(prob: FloatImage, split: InstanceSplit, keep: ReadonlySet<number>, out: FloatImage): FloatImage {
  if (prob.width !== split.width || prob.height !== split.height || out.width !== split.width || out.height !== split.height) {
    throw new PixelError(`keepPeople: mask ${prob.width}x${prob.height}, split ${split.width}x${split.height}, output ${out.width}x${out.height} differ`);
  }
  const kept = new Uint8Array(Math.max(0, ...split.people.map((p) => p.label)) + 1);
  for (const label of keep) if (label < kept.length) kept[label] = 1;
  const { labels } = split;
  for (let i = 0; i < labels.length; i++) out.data[i] = kept[labels[i]] ? prob.data[i] : 0;
  return out;
}
