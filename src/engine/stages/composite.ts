import type { Matte, RgbaImage } from '../../frame';
import { assertLength, assertSameSize } from '../pixels/errors';
import { expandStretched, readStretched, type StretchedImage } from '../pixels/resize';
import { assertRuns, RUN_BACKGROUND, RUN_PERSON } from '../pixels/runs';
import { compositeKernel, type StretchedComposite } from '../pixels/simd/composite';
import { OPAQUE, rgbaWords } from '../pixels/words';

/**
 * out = F * a + B * (1 - a) per pixel, at the frame's full resolution, F being the matting model's
 * foreground colours when it ran (so no background colour fringes round hair) and the frame otherwise.
 *
 * With no background (null) the output is transparent: RGB = F with alpha in A, not premultiplied, as
 * PNG and ffmpeg's alpha formats expect; fully transparent pixels carry black so that a consumer which
 * drops alpha does not show the room behind the person.
 *
 * With the matte's runs, known runs are copied (F, or the background) and only mixed runs blend. A
 * background given as a stretched small picture (the blur's) is upsampled here, only in the runs where it
 * shows: background runs straight into the output, mixed runs into a row of their own and blended from there.
 * Alpha becomes a weight in 1/256ths so the blend is integer multiply-adds and a shift, and pixels with
 * alpha exactly 0 or 1 are a single word copy. NaN alpha counts as 0. Over a stretched background the
 * pass runs as a WebAssembly SIMD kernel (`simd`, ../pixels/simd/composite.ts) where the runtime has one;
 * the loop here is its reference.
 */
export function composite(
  frame: RgbaImage,
  matte: Matte,
  given: RgbaImage | StretchedImage | null,
  out: Uint8Array,
  simd: StretchedComposite | null = compositeKernel(),
): void {
  const { width, height } = frame;
  const stretched = given && 'rows' in given ? given : null;
  if (stretched) assertSameSize(frame, stretched, 'composite frame and background differ in size');
  // Without runs (or word views) every pixel needs the background: expanded once, as any other picture.
  const background = stretched && (!matte.runs || !rgbaWords(out)) ? expandStretched(stretched, scratchImage(width, height)) : stretched ? null : (given as RgbaImage | null);
  const n = width * height;
  assertLength(frame.data, n * 4, 'composite frame');
  assertSameSize(frame, matte.alpha, 'composite frame and alpha differ in size');
  assertLength(matte.alpha.data, n, 'composite alpha');
  if (matte.foreground) {
    assertSameSize(frame, matte.foreground, 'composite frame and foreground differ in size');
    assertLength(matte.foreground.data, n * 4, 'composite foreground');
  }
  if (background) {
    assertSameSize(frame, background, 'composite frame and background differ in size');
    assertLength(background.data, n * 4, 'composite background');
  }
  assertLength(out, n * 4, 'composite output');
  if (matte.runs) assertRuns(matte.runs, width, height);

  const a = matte.alpha.data;
  const f = (matte.foreground ?? frame).data;
  const fw = rgbaWords(f);
  const ow = rgbaWords(out);
  const bw = background ? rgbaWords(background.data) : null;
  if (stretched && matte.runs && fw && ow) {
    if (simd) simd.stretched(a, fw, stretched, ow, matte.runs, width, height);
    else compositeStretched(a, fw, stretched, ow, matte.runs, width, height);
    return;
  }
  if (!fw || !ow || (background && !bw)) {
    if (background) blendBytes(a, f, background.data, out, n);
    else transparentBytes(a, f, out, n);
    return;
  }
  const runs = matte.runs;
  if (!runs) {
    if (bw) blendWords(a, fw, bw, ow, 0, n);
    else transparentWords(a, fw, ow, 0, n);
    return;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let start = row;
    for (let k = runs.first[y], last = k + runs.count[y]; k < last; k++) {
      const end = row + runs.ends[k];
      const kind = runs.kinds[k];
      if (kind === RUN_PERSON) opaqueCopy(fw, ow, start, end);
      else if (kind === RUN_BACKGROUND) {
        if (bw) opaqueCopy(bw, ow, start, end);
        else ow.fill(0, start, end);
      } else if (bw) blendWords(a, fw, bw, ow, start, end);
      else transparentWords(a, fw, ow, start, end);
      start = end;
    }
  }
}

let scratch: RgbaImage | null = null;

/** A frame-sized picture for intermediate backgrounds, kept between calls. */
function scratchImage(width: number, height: number): RgbaImage {
  if (!scratch || scratch.width !== width || scratch.height !== height) scratch = { width, height, data: new Uint8Array(width * height * 4) };
  return scratch;
}

let line = new Int32Array(0);

function compositeStretched(a: Float32Array, fw: Int32Array, bg: StretchedImage, ow: Int32Array, runs: NonNullable<Matte['runs']>, width: number, height: number): void {
  if (line.length < width) line = new Int32Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let start = 0;
    for (let k = runs.first[y], last = k + runs.count[y]; k < last; k++) {
      const end = runs.ends[k];
      const kind = runs.kinds[k];
      if (kind === RUN_PERSON) opaqueCopy(fw, ow, row + start, row + end);
      else if (kind === RUN_BACKGROUND) readStretched(bg, y, start, end, ow, row + start);
      else {
        readStretched(bg, y, start, end, line, start);
        blendWords(a, fw, line, ow, row + start, row + end, row);
      }
      start = end;
    }
  }
}

function opaqueCopy(f: Int32Array, out: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) out[i] = f[i] | OPAQUE;
}

/** `b` holds pixel i at i - shift (a row of its own, for a stretched background). */
function blendWords(a: Float32Array, f: Int32Array, b: Int32Array, out: Int32Array, from: number, to: number, shift = 0): void {
  for (let i = from; i < to; i++) {
    const v = a[i];
    if (v >= 1) {
      out[i] = f[i] | OPAQUE;
      continue;
    }
    if (!(v > 0)) {
      out[i] = b[i - shift] | OPAQUE;
      continue;
    }
    const w = (v * 256 + 0.5) | 0;
    const u = 256 - w;
    const F = f[i];
    const B = b[i - shift];
    const r = ((F & 255) * w + (B & 255) * u + 128) >> 8;
    const g = (((F >> 8) & 255) * w + ((B >> 8) & 255) * u + 128) >> 8;
    const bl = (((F >> 16) & 255) * w + ((B >> 16) & 255) * u + 128) >> 8;
    out[i] = r | (g << 8) | (bl << 16) | OPAQUE;
  }
}

function blendBytes(a: Float32Array, f: Uint8Array, b: Uint8Array, out: Uint8Array, n: number): void {
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    const v = a[i];
    const w = v >= 1 ? 256 : v > 0 ? (v * 256 + 0.5) | 0 : 0;
    const u = 256 - w;
    out[p] = (f[p] * w + b[p] * u + 128) >> 8;
    out[p + 1] = (f[p + 1] * w + b[p + 1] * u + 128) >> 8;
    out[p + 2] = (f[p + 2] * w + b[p + 2] * u + 128) >> 8;
    out[p + 3] = 255;
  }
}

function alphaByte(v: number): number {
  return v >= 1 ? 255 : v > 0 ? (v * 255 + 0.5) | 0 : 0;
}

function transparentWords(a: Float32Array, f: Int32Array, out: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const a8 = alphaByte(a[i]);
    out[i] = a8 === 0 ? 0 : (f[i] & 0xffffff) | (a8 << 24);
  }
}

function transparentBytes(a: Float32Array, f: Uint8Array, out: Uint8Array, n: number): void {
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    const a8 = alphaByte(a[i]);
    const keep = a8 === 0 ? 0 : 1;
    out[p] = f[p] * keep;
    out[p + 1] = f[p + 1] * keep;
    out[p + 2] = f[p + 2] * keep;
    out[p + 3] = a8;
  }
}
