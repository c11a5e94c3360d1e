import { floatImage, rgbaImage, type FloatImage, type RgbaImage } from '../../src/frame';
import { boxBlurPlane } from '../../src/engine/pixels/blur';
import { dilate, erode } from '../../src/engine/pixels/morphology';
import { resizePlane } from '../../src/engine/pixels/resize';
import { MetricError } from './metrics';
import { poolWeighted, pushPullFill } from './push-pull';

/**
 * A screen keyer for making reference mattes of real people (the FG-net "franck" clip on blue, the MDN
 * talking head on yellow-green), not a product feature: the bench's ground truth and the training set's
 * real foregrounds. Alpha comes from where each pixel lies between the local screen colour and the local
 * foreground colour ("knockout" style, Berman et al. 2000), with the screen and foreground colours
 * interpolated from nearby pixels that are surely one or the other; where those two colours are too alike
 * to tell apart, it falls back to the screen-excess key (on blue, the classic B - max(R, G)). The foreground is unmixed (the screen's
 * share subtracted, not just masked) and despilled, so it composites over other footage without a blue
 * fringe. Its own error is measured by bench/keyer-check.ts.
 */

export interface KeyOptions {
  /** Screen excess (on blue, B - max(R, G)) up to which a colour counts as foreground in the first, coarse key. */
  foregroundExcess: number;
  /** Pixels with at least this fraction of the screen's typical excess seed the clean plate. */
  screenSeedFraction: number;
  /** Alpha at or below this is screen noise and becomes 0; at or above clipWhite it becomes 1. */
  clipBlack: number;
  clipWhite: number;
  /** Solid foreground shrunk by this many pixels is forced opaque (no speckle inside the person). */
  coreRadius: number;
  /**
   * Foreground colours are read this far inside the coarse key's solid region. A thin fringe of hair can
   * pass the coarse key while already mixed with blue, and a colour read there would pull alpha up.
   */
  solidRadius: number;
  /** Screen and foreground colours closer than this (0..255 RGB distance) fall back to the excess key. */
  minSeparation: number;
  /** 1 where the picture is known not to hold the person (a stand at the edge): alpha 0 there. */
  garbage?: Uint8Array;
  /** The screen's colour family: how far a colour is from looking like foreground, and its despill. */
  screen: Screen;
}

/**
 * A kind of screen. `excess` is large on the screen and at most a little above zero on skin, hair and
 * clothes; `despill` moves a premultiplied colour until its excess is no longer positive (light bounced
 * off the screen), in place on a three-element array.
 */
export interface Screen {
  name: string;
  excess(r: number, g: number, b: number): number;
  despill(rgb: [number, number, number]): void;
}


export interface KeyResult {
  alpha: FloatImage;
  /** Foreground premultiplied by alpha, RGB 0..255, three values per pixel; composite = this + (1 - alpha) * B. */
  foreground: Float32Array;
}

/** B - max(R, G): large on a blue screen, at most a little above zero on skin, hair and clothes. */
export function blueExcess(r: number, g: number, b: number): number {
  return b - (r > g ? r : g);
}

export const BLUE_SCREEN: Screen = {
  name: 'blue',
  excess: blueExcess,
  despill(rgb) {
    const top = rgb[0] > rgb[1] ? rgb[0] : rgb[1];
    if (rgb[2] > top) rgb[2] = top;
  },
};

/**
 * min(R, G) - B - 2 |R - G|: large on a yellow-green screen (R and G high and equal, B low), at most a
 * little above zero on skin (R clearly above G), hair, grey and dark clothes.
 */
export function yellowGreenExcess(r: number, g: number, b: number): number {
  return (r < g ? r : g) - b - 2 * Math.abs(r - g);
}

export const YELLOW_GREEN_SCREEN: Screen = {
  name: 'yellow-green',
  excess: yellowGreenExcess,
  despill(rgb) {
    // Raising blue is the one change that lowers the excess without shifting the red-green hue of skin.
    const e = yellowGreenExcess(rgb[0], rgb[1], rgb[2]);
    if (e > 0) rgb[2] += e;
  },
};

export const DEFAULT_KEY_OPTIONS: KeyOptions = {
  foregroundExcess: 12,
  screenSeedFraction: 0.75,
  clipBlack: 0.04,
  clipWhite: 0.96,
  coreRadius: 6,
  solidRadius: 4,
  minSeparation: 60,
  screen: BLUE_SCREEN,
};

/**
 * Alpha from the screen's excess alone: 1 at or below the foreground's excess, 0 at the screen's, linear in
 * between. What the keyer falls back to, and how it finds its first solid foreground.
 */
export function excessAlpha(excess: number, screenExcess: number, foregroundExcess: number): number {
  const span = screenExcess - foregroundExcess;
  if (span <= 0) return 1;
  const a = 1 - (excess - foregroundExcess) / span;
  return a < 0 ? 0 : a > 1 ? 1 : a;
}

export type Planes = readonly [Float32Array, Float32Array, Float32Array];

/**
 * Alpha of each colour c on the line from its foreground colour f (alpha 1) to its screen colour k
 * (alpha 0): 1 - the projection of c - f onto k - f, clamped. Where f and k are closer than minSeparation
 * the projection is meaningless and `fallback` is taken instead.
 */
export function knockoutAlpha(c: Planes, f: Planes, k: Planes, minSeparation: number, fallback: Float32Array, out: Float32Array): void {
  const min2 = minSeparation * minSeparation;
  for (let i = 0; i < out.length; i++) {
    const d0 = k[0][i] - f[0][i];
    const d1 = k[1][i] - f[1][i];
    const d2 = k[2][i] - f[2][i];
    const len2 = d0 * d0 + d1 * d1 + d2 * d2;
    if (len2 < min2) {
      out[i] = fallback[i];
      continue;
    }
    const a = 1 - ((c[0][i] - f[0][i]) * d0 + (c[1][i] - f[1][i]) * d1 + (c[2][i] - f[2][i]) * d2) / len2;
    out[i] = a < 0 ? 0 : a > 1 ? 1 : a;
  }
}

/**
 * Foreground premultiplied by alpha from the observed colours: c - (1 - alpha) * k, clamped to
 * [0, 255 * alpha], and despilled by the screen's rule (on blue: blue never exceeds the larger of red and
 * green). Interleaved RGB out, three values per pixel.
 */
export function unmix(c: Planes, alpha: Float32Array, k: Planes, out: Float32Array, screen: Screen = BLUE_SCREEN): void {
  const rgb: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i];
    const o = i * 3;
    if (a <= 0) {
      out[o] = out[o + 1] = out[o + 2] = 0;
      continue;
    }
    const u = 1 - a;
    const top = 255 * a;
    rgb[0] = Math.min(top, Math.max(0, c[0][i] - u * k[0][i]));
    rgb[1] = Math.min(top, Math.max(0, c[1][i] - u * k[1][i]));
    rgb[2] = Math.min(top, Math.max(0, c[2][i] - u * k[2][i]));
    screen.despill(rgb);
    out[o] = rgb[0];
    out[o + 1] = rgb[1];
    out[o + 2] = Math.min(top, rgb[2]);
  }
}

/** The q-quantile (0..1) of a list of numbers, by sorting a copy. */
function quantileOf(values: Float32Array, q: number): number {
  const sorted = values.slice().sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

function planesOf(image: RgbaImage): Planes {
  const n = image.width * image.height;
  const r = new Float32Array(n);
  const g = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    r[i] = image.data[p];
    g[i] = image.data[p + 1];
    b[i] = image.data[p + 2];
  }
  return [r, g, b];
}

/**
 * Colours interpolated into the pixels `seeds` leaves out: pooled over factor x factor cells, filled by
 * push-pull, smoothed over a (2 * smooth + 1)^2 box of cells and brought back to full size bilinearly.
 * Working on cells keeps it fast and averages away the codec noise of single pixels.
 */
function fillColours(planes: Planes, seeds: Uint8Array, width: number, height: number, factor: number, smooth: number): Planes {
  const weights = new Float32Array(seeds.length);
  for (let i = 0; i < seeds.length; i++) weights[i] = seeds[i];
  const pooled = poolWeighted(planes, weights, width, height, factor);
  const filled = pushPullFill(pooled.planes, pooled.weight, pooled.width, pooled.height);
  const rect = { x: 0, y: 0, width: width / factor, height: height / factor };
  const up = (p: Float32Array): Float32Array => {
    boxBlurPlane(p, pooled.width, pooled.height, smooth);
    const full = new Float32Array(width * height);
    resizePlane(p, pooled.width, pooled.height, full, width, height, rect);
    return full;
  };
  return [up(filled[0]), up(filled[1]), up(filled[2])];
}

function threshold(values: Float32Array, min: number): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] >= min ? 1 : 0;
  return out;
}

export function keyFrame(frame: RgbaImage, options: Partial<KeyOptions> = {}): KeyResult {
  const opts = { ...DEFAULT_KEY_OPTIONS, ...options };
  const { width, height } = frame;
  const n = width * height;
  if (frame.data.length !== n * 4) throw new MetricError(`key: ${width}x${height} RGBA needs ${n * 4} bytes, got ${frame.data.length}`);
  if (opts.garbage && opts.garbage.length !== n) throw new MetricError(`key: garbage matte holds ${opts.garbage.length} values, needs ${n}`);
  const c = planesOf(frame);
  const excess = new Float32Array(n);
  const { screen } = opts;
  for (let i = 0; i < n; i++) excess[i] = screen.excess(c[0][i], c[1][i], c[2][i]);

  // The screen's typical excess; the frame is mostly screen, so a high quantile lands on it.
  const screenLevel = quantileOf(excess, 0.9);
  if (screenLevel <= opts.foregroundExcess) {
    throw new MetricError(`key: no ${screen.name} screen found (90th percentile of its excess is ${screenLevel.toFixed(1)})`);
  }
  // Seeds keep off edges (2 px), where colours are already mixed.
  const seedScreen = erode(threshold(excess, opts.screenSeedFraction * screenLevel), width, height, 2);
  const k = fillColours(c, seedScreen, width, height, 4, 1);

  const coarse = new Float32Array(n);
  for (let i = 0; i < n; i++) coarse[i] = excessAlpha(excess[i], screen.excess(k[0][i], k[1][i], k[2][i]), opts.foregroundExcess);
  const solid = erode(threshold(coarse, opts.clipWhite), width, height, opts.solidRadius);
  const alpha = floatImage(width, height);
  const a = alpha.data;
  if (solid.includes(1)) knockoutAlpha(c, fillColours(c, solid, width, height, 2, 1), k, opts.minSeparation, coarse, a);
  else a.set(coarse);

  // Closing by a few pixels first fills specks inside the person (a dark pupil the projection puts just
  // under 1); the larger erosion keeps the forced-opaque core well inside, away from hair.
  const close = 4;
  const core = erode(dilate(threshold(a, opts.clipWhite), width, height, close), width, height, close + opts.coreRadius);
  for (let i = 0; i < n; i++) {
    const v = a[i];
    a[i] = opts.garbage?.[i] ? 0 : core[i] || v >= opts.clipWhite ? 1 : v <= opts.clipBlack ? 0 : v;
  }
  const foreground = new Float32Array(n * 3);
  unmix(c, a, k, foreground, screen);
  return { alpha, foreground };
}

/** composite = F premultiplied + (1 - alpha) * background, rounded; opaque. */
export function compositeKeyed(key: KeyResult, background: RgbaImage): RgbaImage {
  const { width, height } = key.alpha;
  if (background.width !== width || background.height !== height) {
    throw new MetricError(`composite: key is ${width}x${height}, background ${background.width}x${background.height}`);
  }
  const out = rgbaImage(width, height);
  const a = key.alpha.data;
  const f = key.foreground;
  for (let i = 0, p = 0; i < a.length; i++, p += 4) {
    const u = 1 - a[i];
    for (let ch = 0; ch < 3; ch++) out.data[p + ch] = Math.min(255, Math.round(f[i * 3 + ch] + u * background.data[p + ch]));
    out.data[p + 3] = 255;
  }
  return out;
}
