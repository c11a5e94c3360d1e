/**
 * Shape arithmetic of the conversion: TFLite keeps activations NHWC and ONNX wants NCHW, and the two
 * frameworks describe padding differently (TFLite by a SAME/VALID rule, ONNX by explicit pads).
 */

/** NHWC -> NCHW as a permutation: output axis i takes input axis NHWC_TO_NCHW[i]. */
export const NHWC_TO_NCHW = [0, 3, 1, 2] as const;

/** Where each NHWC axis lands in NCHW (the inverse of NHWC_TO_NCHW). */
export const NCHW_POSITION_OF_NHWC_AXIS = [0, 2, 3, 1] as const;

/** Reorders a dense row-major tensor: output axis i is input axis perm[i]. Returns the data and its shape. */
export function permute(data: Float32Array, shape: readonly number[], perm: readonly number[]): { data: Float32Array; shape: number[] } {
  const rank = shape.length;
  if (perm.length !== rank || [...perm].sort().some((p, i) => p !== i)) {
    throw new RangeError(`permutation [${perm}] does not fit a rank-${rank} tensor`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new RangeError(`tensor of shape [${shape}] needs ${count} values, got ${data.length}`);
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  // Stride in the input for a step along each output axis.
  const step = perm.map((p) => inStrides[p]);
  const out = new Float32Array(count);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < count; o++) {
    out[o] = data[src];
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]++;
      src += step[axis];
      if (index[axis] < outShape[axis]) break;
      src -= step[axis] * outShape[axis];
      index[axis] = 0;
    }
  }
  return { data: out, shape: outShape };
}

export type Padding = 'same' | 'valid';

/** Output size and [before, after] padding of a convolution or pooling window along one axis, TFLite's rule. */
export function windowPadding(
  inSize: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: Padding,
): { out: number; before: number; after: number } {
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'valid') {
    return { out: Math.floor((inSize - effective) / stride) + 1, before: 0, after: 0 };
  }
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + effective - inSize, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

/**
 * Output size and padding of a transposed convolution along one axis, as MediaPipe's
 * Convolution2DTransposeBias computes them: SAME trims kernel - 1 - (in - 1) % stride outputs, the
 * smaller half at the start.
 */
export function transposedWindowPadding(
  inSize: number,
  kernel: number,
  stride: number,
  padding: Padding,
): { out: number; before: number; after: number } {
  const total = padding === 'same' ? Math.max(0, kernel - ((inSize - 1) % stride) - 1) : 0;
  const before = Math.floor(total / 2);
  return { out: stride * (inSize - 1) + kernel - total, before, after: total - before };
}
