/**
 * The ground floor: pixel containers shared by the engine, io and the outputs. Row-major, no padding.
 * Imports nothing, so every floor above may use it.
 */

/** 8-bit RGBA image. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Single-channel float image, values in [0, 1] (a probability, an alpha). */
export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array;
}

export function rgbaImage(width: number, height: number, data?: Uint8Array): RgbaImage {
  const need = width * height * 4;
  if (data && data.length !== need) throw new RangeError(`RGBA ${width}x${height} needs ${need} bytes, got ${data.length}`);
  return { width, height, data: data ?? new Uint8Array(need) };
}

export function floatImage(width: number, height: number, data?: Float32Array): FloatImage {
  const need = width * height;
  if (data && data.length !== need) throw new RangeError(`float ${width}x${height} needs ${need} values, got ${data.length}`);
  return { width, height, data: data ?? new Float32Array(need) };
}

/**
 * What the matting boundary hands the compositor: alpha at the frame's full resolution and, when a
 * matting model ran, its predicted foreground colours (RGBA, alpha channel unused) at the same size.
 * `runs`, when given, says which pixels are known background or person (alpha exactly 0 or 1 there) and
 * which are mixed, so later stages work per pixel on the mixed ones only; without them every pixel is
 * blended by its alpha.
 */
export interface Matte {
  alpha: FloatImage;
  foreground: RgbaImage | null;
  runs?: Runs;
}

/**
 * Full-frame planes reused from frame to frame: allocating 4-byte-per-pixel planes anew every frame costs
 * page faults and zeroing (about a millisecond each at 1280x720). Whatever is built on them lives until
 * the next request of the same plane.
 */
export class FramePlanes {
  private alpha: FloatImage | null = null;
  private rgba: RgbaImage | null = null;

  alphaFor(width: number, height: number): FloatImage {
    if (!this.alpha || this.alpha.width !== width || this.alpha.height !== height) this.alpha = floatImage(width, height);
    return this.alpha;
  }

  rgbaFor(width: number, height: number): RgbaImage {
    if (!this.rgba || this.rgba.width !== width || this.rgba.height !== height) this.rgba = rgbaImage(width, height);
    return this.rgba;
  }
}

/**
 * Row runs of a full-resolution matte (see engine/pixels/runs.ts, which builds and checks them): each row
 * cut into runs of known background, known person and mixed pixels.
 */
export interface Runs {
  width: number;
  height: number;
  /** Row y's runs are ends/kinds[first[y] .. first[y] + count[y]); a run ends (exclusive) where the next starts. */
  first: Int32Array;
  count: Int32Array;
  ends: Int32Array;
  kinds: Uint8Array;
}

/**
 * A picture that changes over time, decoded elsewhere (io/ hands one in): `current` is the frame due now,
 * or the last one decoded when decoding has fallen behind.
 */
export interface VideoSource {
  current(): RgbaImage;
  /** Offline sources step one frame per output frame; live ones follow the clock and have no advance. */
  advance?(): Promise<void>;
  close(): Promise<void>;
}

