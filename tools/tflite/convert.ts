import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { TfliteConversionError, TfliteFormatError } from './errors';
import { decodeFloat16 } from './float16';
import { NCHW_POSITION_OF_NHWC_AXIS, NHWC_TO_NCHW, permute, transposedWindowPadding, windowPadding, type Padding } from './layout';
import { encodeOnnxModel, ONNX_FLOAT, ONNX_INT64, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './onnx-proto';
import { operatorLabel, readTfliteModel, type TfliteModel, type TfliteOperator } from './schema';

/**
 * TFLite -> ONNX for the operators of MediaPipe's selfie segmentation models, the Google Meet segmentation
 * models (which add RELU6, FULLY_CONNECTED and CONCATENATION) and MediaPipe's face detectors (PAD,
 * MAX_POOL_2D, RESHAPE to the [1, boxes, values] detection tensors). Activations become NCHW once, at the
 * graph boundary: every 4-D tensor inside the ONNX graph is the TFLite tensor in NCHW order, and weights are
 * permuted at conversion time, so a Transpose is emitted only where RESHAPE needs TFLite's own element
 * order. Tensors of any other rank keep TFLite's layout. float16 weights behind DEQUANTIZE are decoded into
 * float32 initializers (exactly what the TFLite runtime does at load time).
 *
 * Conversion happens in memory; the caller gets the bytes only when every operator converted.
 */

/** Opset 14 brought HardSwish; 17 is the newest that still takes ReduceMean's axes as an attribute. */
export const OPSET = 17;

export interface ConvertedModel {
  onnx: Uint8Array;
  /** Graph input and outputs, in the ONNX layout (NCHW for 4-D tensors, TFLite's for any other rank). */
  input: { name: string; shape: number[] };
  outputs: { name: string; shape: number[] }[];
  /** TFLite operators converted, by label, e.g. { CONV_2D: 43, ... }. */
  operators: Record<string, number>;
  /** ONNX nodes emitted, by op type. */
  onnxNodes: Record<string, number>;
}

type Value =
  /** Computed at run time; held in ONNX as `name`, NCHW when 4-D. `shape` is TFLite's (NHWC when 4-D). */
  | { kind: 'activation'; name: string; shape: number[] }
  | { kind: 'floats'; shape: number[]; data: Float32Array }
  | { kind: 'ints'; shape: number[]; data: Int32Array }
  | { kind: 'halves'; shape: number[]; raw: Uint8Array };

const PADDINGS: Record<number, Padding> = { 0: 'same', 1: 'valid' };
/** TfLitePadding of the C API, used by custom operators' packed options. */
const C_PADDINGS: Record<number, Padding> = { 1: 'same', 2: 'valid' };

class Converter {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly values = new Map<number, Value>();
  private readonly names = new Set<string>();

  constructor(readonly model: TfliteModel) {}

  fail(op: TfliteOperator, detail: string): never {
    throw new TfliteConversionError(this.model.source, operatorLabel(op), `operator #${op.index}: ${detail}`);
  }

  uniqueName(base: string): string {
    const stem = base || 'tensor';
    let name = stem;
    for (let i = 1; this.names.has(name); i++) name = `${stem}_${i}`;
    this.names.add(name);
    return name;
  }

  define(index: number, v: Value): void {
    this.values.set(index, v);
  }

  /** The ONNX value a TFLite tensor was converted to, if an operator computed it. */
  computed(index: number): Extract<Value, { kind: 'activation' }> | null {
    const v = this.values.get(index);
    return v?.kind === 'activation' ? v : null;
  }

  defineInput(index: number): { name: string; shape: number[] } {
    const t = this.model.tensors[index];
    if (t.type !== 'float32' || t.shape.length !== 4) {
      throw new TfliteConversionError(this.model.source, 'graph input', `input ${t.name} is ${t.type}[${t.shape}], expected a float32 NHWC image`);
    }
    const name = this.uniqueName(t.name);
    this.values.set(index, { kind: 'activation', name, shape: t.shape });
    return { name, shape: NHWC_TO_NCHW.map((a) => t.shape[a]) };
  }

  private value(op: TfliteOperator, slot: number): Value {
    const index = op.inputs[slot];
    if (index === undefined || index < 0) this.fail(op, `input ${slot} is missing`);
    const known = this.values.get(index);
    if (known) return known;
    const t = this.model.tensors[index];
    if (t.data === null) this.fail(op, `input ${slot} (${t.name}) is read before any operator writes it`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    const bytes = new Uint8Array(t.data);
    let v: Value;
    if (t.type === 'float32' && bytes.length === count * 4) v = { kind: 'floats', shape: t.shape, data: new Float32Array(bytes.buffer) };
    else if (t.type === 'int32' && bytes.length === count * 4) v = { kind: 'ints', shape: t.shape, data: new Int32Array(bytes.buffer) };
    else if (t.type === 'float16' && bytes.length === count * 2) v = { kind: 'halves', shape: t.shape, raw: bytes };
    else this.fail(op, `constant ${t.name} is ${t.type}[${t.shape}] with ${bytes.length} bytes, which the converter cannot read`);
    this.values.set(index, v);
    return v;
  }

  /** A computed input of any rank. */
  anyActivation(op: TfliteOperator, slot: number): Extract<Value, { kind: 'activation' }> {
    const v = this.value(op, slot);
    if (v.kind !== 'activation') this.fail(op, `input ${slot} must be computed, got a constant`);
    return v;
  }

  activation(op: TfliteOperator, slot: number): Extract<Value, { kind: 'activation' }> {
    const v = this.anyActivation(op, slot);
    if (v.shape.length !== 4) this.fail(op, `input ${slot} has rank ${v.shape.length}, only 4-D activations are supported`);
    return v;
  }

  floats(op: TfliteOperator, slot: number): { shape: number[]; data: Float32Array } {
    const v = this.value(op, slot);
    if (v.kind === 'floats') return v;
    if (v.kind === 'halves') return { shape: v.shape, data: decodeFloat16(v.raw) };
    this.fail(op, `input ${slot} must be a float constant, got ${v.kind}`);
  }

  ints(op: TfliteOperator, slot: number): number[] {
    const v = this.value(op, slot);
    if (v.kind !== 'ints') this.fail(op, `input ${slot} must be an int32 constant, got ${v.kind}`);
    return Array.from(v.data);
  }

  /** The TFLite output tensor's shape, checked against what the ONNX node will produce. */
  outputShape(op: TfliteOperator, expected?: number[]): number[] {
    const t = this.model.tensors[op.outputs[0]];
    if (expected && expected.join() !== t.shape.join()) {
      this.fail(op, `TFLite declares output shape [${t.shape}], the converted operator would produce [${expected}]`);
    }
    return t.shape;
  }

  initializer(base: string, dims: readonly number[], data: Float32Array | BigInt64Array): string {
    const name = this.uniqueName(base);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dims, dataType: data instanceof Float32Array ? ONNX_FLOAT : ONNX_INT64, raw: raw.slice() });
    return name;
  }

  /** An intermediate node of a multi-node conversion; returns its output's name. */
  intermediate(op: TfliteOperator, opType: string, inputs: string[], attributes: Record<string, OnnxAttribute>, suffix: string): string {
    const output = this.uniqueName(`${this.model.tensors[op.outputs[0]].name}_${suffix}`);
    this.nodes.push({ opType, name: `${operatorLabel(op)}_${op.index}_${suffix}`, inputs, outputs: [output], attributes });
    return output;
  }

  /** Emits `opType` writing the operator's output, followed by its fused activation if it has one. */
  emit(op: TfliteOperator, opType: string, inputs: string[], attributes: Record<string, OnnxAttribute>, fused = 0): void {
    const out = this.model.tensors[op.outputs[0]];
    if (op.outputs.length !== 1) this.fail(op, `has ${op.outputs.length} outputs, expected 1`);
    const finalName = this.uniqueName(out.name);
    this.values.set(op.outputs[0], { kind: 'activation', name: finalName, shape: out.shape });
    const label = `${operatorLabel(op)}_${op.index}`;
    const activation = this.fusedActivation(op, fused, finalName);
    const target = activation ? this.uniqueName(`${finalName}_preact`) : finalName;
    this.nodes.push({ opType, name: label, inputs, outputs: [target], attributes });
    if (activation) this.nodes.push({ ...activation, inputs: [target, ...activation.inputs], name: `${label}_act` });
  }

  private fusedActivation(op: TfliteOperator, code: number, output: string): OnnxNode | null {
    const clip = (lo: number, hi: number): OnnxNode => ({
      opType: 'Clip',
      name: '',
      inputs: [this.initializer('clip_min', [], Float32Array.of(lo)), this.initializer('clip_max', [], Float32Array.of(hi))],
      outputs: [output],
    });
    switch (code) {
      case 0:
        return null;
      case 1:
        return { opType: 'Relu', name: '', inputs: [], outputs: [output] };
      case 2:
        return clip(-1, 1);
      case 3:
        return clip(0, 6);
      case 4:
        return { opType: 'Tanh', name: '', inputs: [], outputs: [output] };
      default:
        this.fail(op, `fused activation ${code} is not supported`);
    }
  }

  /** A constant operand of an elementwise operator, broadcast to rank 4 (NHWC) and stored as NCHW. */
  broadcastConstant(op: TfliteOperator, slot: number): string {
    const c = this.floats(op, slot);
    if (c.shape.length > 4) this.fail(op, `constant input ${slot} has rank ${c.shape.length}`);
    const nhwc = [...new Array<number>(4 - c.shape.length).fill(1), ...c.shape];
    const { data, shape } = permute(c.data, nhwc, NHWC_TO_NCHW);
    return this.initializer(`${operatorLabel(op)}_${op.index}_operand${slot}`, shape, data);
  }

  operand(op: TfliteOperator, slot: number): string {
    const v = this.value(op, slot);
    return v.kind === 'activation' ? this.activation(op, slot).name : this.broadcastConstant(op, slot);
  }
}

function padding(c: Converter, op: TfliteOperator, code: number, table: Record<number, Padding>): Padding {
  const p = table[code];
  if (!p) c.fail(op, `padding ${code} is neither SAME nor VALID`);
  return p;
}

function convolution(c: Converter, op: TfliteOperator, depthwise: boolean): void {
  const o = op.options;
  if (!o) c.fail(op, 'has no options');
  const pad = padding(c, op, o.scalar(0, 'u8', 0), PADDINGS);
  const sw = o.scalar(1, 'i32', 1);
  const sh = o.scalar(2, 'i32', 1);
  // DepthwiseConv2DOptions has depth_multiplier in slot 3, shifting the rest by one.
  const shift = depthwise ? 1 : 0;
  const fused = o.scalar(3 + shift, 'u8', 0);
  const dw = o.scalar(4 + shift, 'i32', 1);
  const dh = o.scalar(5 + shift, 'i32', 1);
  const x = c.activation(op, 0);
  const w = c.floats(op, 1);
  if (w.shape.length !== 4) c.fail(op, `filter has rank ${w.shape.length}, expected 4`);
  const [n, h, wd, ch] = x.shape;
  // Regular filters are OHWI, depthwise ones 1HW(C*multiplier).
  const [kh, kw] = [w.shape[1], w.shape[2]];
  const outChannels = depthwise ? w.shape[3] : w.shape[0];
  let group = 1;
  if (depthwise) {
    if (outChannels % ch !== 0) c.fail(op, `${outChannels} output channels are not a multiple of ${ch} input channels`);
    group = ch;
  } else {
    if (ch % w.shape[3] !== 0) c.fail(op, `${ch} input channels do not divide into groups of ${w.shape[3]}`);
    group = ch / w.shape[3];
  }
  const py = windowPadding(h, kh, sh, dh, pad);
  const px = windowPadding(wd, kw, sw, dw, pad);
  c.outputShape(op, [n, py.out, px.out, outChannels]);
  const weights = permute(w.data, w.shape, depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2]);
  const inputs = [x.name, c.initializer(`${operatorLabel(op)}_${op.index}_weight`, weights.shape, weights.data)];
  if (op.inputs.length > 2 && op.inputs[2] >= 0) {
    const b = c.floats(op, 2);
    inputs.push(c.initializer(`${operatorLabel(op)}_${op.index}_bias`, [b.data.length], b.data));
  }
  c.emit(
    op,
    'Conv',
    inputs,
    {
      kernel_shape: { ints: [kh, kw] },
      strides: { ints: [sh, sw] },
      dilations: { ints: [dh, dw] },
      pads: { ints: [py.before, px.before, py.after, px.after] },
      group: { int: group },
    },
    fused,
  );
}

function transposeConvolutionWithBias(c: Converter, op: TfliteOperator): void {
  // MediaPipe passes TfLiteTransposeConvParams as raw bytes: int32 padding, stride_width, stride_height.
  const raw = op.customOptions;
  if (!raw || raw.length < 12) c.fail(op, `custom options hold ${raw?.length ?? 0} bytes, expected at least 12`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const pad = padding(c, op, view.getInt32(0, true), C_PADDINGS);
  const sw = view.getInt32(4, true);
  const sh = view.getInt32(8, true);
  if (sw < 1 || sh < 1) c.fail(op, `stride ${sw}x${sh} is not positive`);
  const x = c.activation(op, 0);
  const w = c.floats(op, 1);
  const b = c.floats(op, 2);
  if (w.shape.length !== 4 || w.shape[3] !== x.shape[3]) c.fail(op, `filter [${w.shape}] does not match input [${x.shape}]`);
  if (b.data.length !== w.shape[0]) c.fail(op, `bias has ${b.data.length} values for ${w.shape[0]} output channels`);
  const [kh, kw] = [w.shape[1], w.shape[2]];
  const py = transposedWindowPadding(x.shape[1], kh, sh, pad);
  const px = transposedWindowPadding(x.shape[2], kw, sw, pad);
  c.outputShape(op, [x.shape[0], py.out, px.out, w.shape[0]]);
  // OHWI -> ONNX ConvTranspose's (input channels, output channels, kH, kW); neither framework flips the kernel.
  const weights = permute(w.data, w.shape, [3, 0, 1, 2]);
  const base = `${operatorLabel(op)}_${op.index}`;
  c.emit(op, 'ConvTranspose', [x.name, c.initializer(`${base}_weight`, weights.shape, weights.data), c.initializer(`${base}_bias`, [b.data.length], b.data)], {
    kernel_shape: { ints: [kh, kw] },
    strides: { ints: [sh, sw] },
    pads: { ints: [py.before, px.before, py.after, px.after] },
  });
}

function pool(c: Converter, op: TfliteOperator, kind: 'average' | 'max'): void {
  const o = op.options;
  if (!o) c.fail(op, 'has no options');
  const pad = padding(c, op, o.scalar(0, 'u8', 0), PADDINGS);
  const [sw, sh, fw, fh] = [o.scalar(1, 'i32', 1), o.scalar(2, 'i32', 1), o.scalar(3, 'i32', 1), o.scalar(4, 'i32', 1)];
  const fused = o.scalar(5, 'u8', 0);
  const x = c.activation(op, 0);
  const py = windowPadding(x.shape[1], fh, sh, 1, pad);
  const px = windowPadding(x.shape[2], fw, sw, 1, pad);
  c.outputShape(op, [x.shape[0], py.out, px.out, x.shape[3]]);
  const window = {
    kernel_shape: { ints: [fh, fw] },
    strides: { ints: [sh, sw] },
    pads: { ints: [py.before, px.before, py.after, px.after] },
  };
  if (kind === 'max') {
    // Both frameworks leave padded pixels out of the maximum.
    c.emit(op, 'MaxPool', [x.name], window, fused);
    return;
  }
  if (py.out === 1 && px.out === 1 && fh === x.shape[1] && fw === x.shape[2]) {
    c.emit(op, 'GlobalAveragePool', [x.name], {}, fused);
    return;
  }
  // TFLite divides by the number of real (unpadded) pixels under the window.
  c.emit(op, 'AveragePool', [x.name], { ...window, count_include_pad: { int: 0 } }, fused);
}

function mean(c: Converter, op: TfliteOperator): void {
  const x = c.activation(op, 0);
  const keepDims = (op.options?.scalar(0, 'bool', 0) ?? 0) !== 0;
  if (!keepDims) c.fail(op, 'keep_dims=false would leave a non-4-D activation, which is not supported');
  const axes = [...new Set(c.ints(op, 1).map((a) => (a < 0 ? a + 4 : a)))].sort();
  if (axes.some((a) => a < 0 || a > 3)) c.fail(op, `axes [${axes}] do not fit a 4-D tensor`);
  c.outputShape(op, x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  if (axes.join() === '1,2') {
    c.emit(op, 'GlobalAveragePool', [x.name], {});
    return;
  }
  c.emit(op, 'ReduceMean', [x.name], { axes: { ints: axes.map((a) => NCHW_POSITION_OF_NHWC_AXIS[a]) }, keepdims: { int: 1 } });
}

function resizeBilinear(c: Converter, op: TfliteOperator): void {
  const x = c.activation(op, 0);
  const size = c.ints(op, 1);
  if (size.length !== 2 || size.some((s) => s < 1)) c.fail(op, `size [${size}] is not a positive [height, width]`);
  const alignCorners = (op.options?.scalar(2, 'bool', 0) ?? 0) !== 0;
  const halfPixel = (op.options?.scalar(3, 'bool', 0) ?? 0) !== 0;
  if (alignCorners && halfPixel) c.fail(op, 'align_corners and half_pixel_centers are both set');
  const [n, , , ch] = x.shape;
  c.outputShape(op, [n, size[0], size[1], ch]);
  const sizes = c.initializer(`${operatorLabel(op)}_${op.index}_sizes`, [4], BigInt64Array.from([n, ch, size[0], size[1]].map(BigInt)));
  c.emit(op, 'Resize', [x.name, '', '', sizes], {
    mode: { string: 'linear' },
    // TF's legacy mapping (neither flag) is ONNX's 'asymmetric'; both clamp samples to the edge.
    coordinate_transformation_mode: { string: alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric' },
  });
}

function elementwise(c: Converter, op: TfliteOperator, opType: 'Add' | 'Mul'): void {
  if (op.inputs.length !== 2) c.fail(op, `has ${op.inputs.length} inputs, expected 2`);
  const fused = op.options?.scalar(0, 'u8', 0) ?? 0;
  c.outputShape(op);
  c.emit(op, opType, [c.operand(op, 0), c.operand(op, 1)], {}, fused);
}

function unary(c: Converter, op: TfliteOperator, opType: string): void {
  const x = c.activation(op, 0);
  c.outputShape(op, x.shape);
  c.emit(op, opType, [x.name], {});
}

/** RELU6 is Clip(0, 6); from opset 11 on, Clip takes its bounds as inputs rather than attributes. */
function relu6(c: Converter, op: TfliteOperator): void {
  const x = c.activation(op, 0);
  c.outputShape(op, x.shape);
  const base = `${operatorLabel(op)}_${op.index}`;
  c.emit(op, 'Clip', [x.name, c.initializer(`${base}_min`, [], Float32Array.of(0)), c.initializer(`${base}_max`, [], Float32Array.of(6))], {});
}

/**
 * FULLY_CONNECTED on a 4-D activation with keep_num_dims: out[n, h, w, :] = W x[n, h, w, :] + b for
 * weights W of shape [out, in], which in NCHW is exactly a 1x1 convolution with weights [out, in, 1, 1].
 */
function fullyConnected(c: Converter, op: TfliteOperator): void {
  const o = op.options;
  const fused = o?.scalar(0, 'u8', 0) ?? 0;
  const weightsFormat = o?.scalar(1, 'u8', 0) ?? 0;
  const keepNumDims = (o?.scalar(2, 'bool', 0) ?? 0) !== 0;
  if (weightsFormat !== 0) c.fail(op, `weights format ${weightsFormat} is not DEFAULT`);
  if (!keepNumDims) c.fail(op, 'keep_num_dims=false would flatten the activation to 2-D, which is not supported');
  const x = c.activation(op, 0);
  const w = c.floats(op, 1);
  if (w.shape.length !== 2) c.fail(op, `weights have rank ${w.shape.length}, expected 2`);
  const [outputs, inputs] = w.shape;
  if (inputs !== x.shape[3]) c.fail(op, `weights [${w.shape}] take ${inputs} inputs, the activation [${x.shape}] has ${x.shape[3]} channels`);
  c.outputShape(op, [...x.shape.slice(0, 3), outputs]);
  const base = `${operatorLabel(op)}_${op.index}`;
  const operands = [x.name, c.initializer(`${base}_weight`, [outputs, inputs, 1, 1], w.data)];
  if (op.inputs.length > 2 && op.inputs[2] >= 0) {
    const b = c.floats(op, 2);
    if (b.data.length !== outputs) c.fail(op, `bias has ${b.data.length} values for ${outputs} outputs`);
    operands.push(c.initializer(`${base}_bias`, [outputs], b.data));
  }
  c.emit(op, 'Conv', operands, { kernel_shape: { ints: [1, 1] } }, fused);
}

/** CONCATENATION along a TFLite axis: for 4-D activations, the matching NCHW axis; otherwise the axis itself. */
function concatenation(c: Converter, op: TfliteOperator): void {
  const o = op.options;
  if (!o) c.fail(op, 'has no options');
  const rawAxis = o.scalar(0, 'i32', 0);
  const fused = o.scalar(1, 'u8', 0);
  if (op.inputs.length < 1) c.fail(op, 'has no inputs');
  const parts = op.inputs.map((_, slot) => c.anyActivation(op, slot));
  const first = parts[0].shape;
  const rank = first.length;
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  if (axis < 0 || axis >= rank) c.fail(op, `axis ${rawAxis} does not fit a ${rank}-D tensor`);
  for (const p of parts) {
    if (p.shape.length !== rank || p.shape.some((d, i) => i !== axis && d !== first[i])) {
      c.fail(op, `inputs [${first}] and [${p.shape}] differ outside axis ${rawAxis}`);
    }
  }
  c.outputShape(op, first.map((d, i) => (i === axis ? parts.reduce((s, p) => s + p.shape[axis], 0) : d)));
  c.emit(
    op,
    'Concat',
    parts.map((p) => p.name),
    { axis: { int: rank === 4 ? NCHW_POSITION_OF_NHWC_AXIS[axis] : axis } },
    fused,
  );
}

/** PAD of a 4-D activation with zeros (TFLite's PAD of a float tensor pads with 0). */
function pad(c: Converter, op: TfliteOperator): void {
  const x = c.activation(op, 0);
  const paddings = c.ints(op, 1);
  if (paddings.length !== 8) c.fail(op, `paddings hold ${paddings.length} values, expected [4, 2] for a 4-D input`);
  if (paddings.some((p) => p < 0)) c.fail(op, `paddings [${paddings}] are negative`);
  // TFLite: [[before, after] per NHWC axis]; ONNX: all befores then all afters, in NCHW order.
  const befores = NHWC_TO_NCHW.map((a) => paddings[2 * a]);
  const afters = NHWC_TO_NCHW.map((a) => paddings[2 * a + 1]);
  c.outputShape(op, x.shape.map((d, i) => d + paddings[2 * i] + paddings[2 * i + 1]));
  const pads = c.initializer(`${operatorLabel(op)}_${op.index}_pads`, [8], BigInt64Array.from([...befores, ...afters].map(BigInt)));
  c.emit(op, 'Pad', [x.name, pads], { mode: { string: 'constant' } });
}

/**
 * RESHAPE to the shape TFLite declares for the output. TFLite reshapes its NHWC element order, so a 4-D
 * input goes back to NHWC first and a 4-D output forward to NCHW after.
 */
function reshape(c: Converter, op: TfliteOperator): void {
  const x = c.anyActivation(op, 0);
  const shape = c.outputShape(op);
  const count = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
  if (shape.some((d) => d < 1) || count(shape) !== count(x.shape)) c.fail(op, `cannot reshape [${x.shape}] to [${shape}]`);
  const base = `${operatorLabel(op)}_${op.index}`;
  const source = x.shape.length === 4 ? c.intermediate(op, 'Transpose', [x.name], { perm: { ints: [0, 2, 3, 1] } }, 'nhwc') : x.name;
  const target = c.initializer(`${base}_shape`, [shape.length], BigInt64Array.from(shape.map(BigInt)));
  if (shape.length !== 4) {
    c.emit(op, 'Reshape', [source, target], {});
    return;
  }
  const reshaped = c.intermediate(op, 'Reshape', [source, target], {}, 'reshaped');
  c.emit(op, 'Transpose', [reshaped], { perm: { ints: [...NHWC_TO_NCHW] } });
}

function dequantize(c: Converter, op: TfliteOperator): void {
  const input = c.model.tensors[op.inputs[0]];
  if (input?.type !== 'float16' || input.data === null) {
    c.fail(op, `only float16 constants can be dequantized, got ${input?.type ?? 'nothing'}${input?.data === null ? ' computed at run time' : ''}`);
  }
  const { shape, data } = c.floats(op, 0);
  c.define(op.outputs[0], { kind: 'floats', shape, data });
}

function convertOperator(c: Converter, op: TfliteOperator): void {
  if (op.custom !== null) {
    if (op.custom === 'Convolution2DTransposeBias') return transposeConvolutionWithBias(c, op);
    c.fail(op, 'custom operator unknown to the converter');
  }
  switch (op.builtin) {
    case 'CONV_2D':
      return convolution(c, op, false);
    case 'DEPTHWISE_CONV_2D':
      return convolution(c, op, true);
    case 'AVERAGE_POOL_2D':
      return pool(c, op, 'average');
    case 'MAX_POOL_2D':
      return pool(c, op, 'max');
    case 'PAD':
      return pad(c, op);
    case 'RESHAPE':
      return reshape(c, op);
    case 'MEAN':
      return mean(c, op);
    case 'RESIZE_BILINEAR':
      return resizeBilinear(c, op);
    case 'ADD':
      return elementwise(c, op, 'Add');
    case 'MUL':
      return elementwise(c, op, 'Mul');
    case 'HARD_SWISH':
      return unary(c, op, 'HardSwish');
    case 'RELU':
      return unary(c, op, 'Relu');
    case 'RELU6':
      return relu6(c, op);
    case 'FULLY_CONNECTED':
      return fullyConnected(c, op);
    case 'CONCATENATION':
      return concatenation(c, op);
    case 'LOGISTIC':
      return unary(c, op, 'Sigmoid');
    case 'DEQUANTIZE':
      return dequantize(c, op);
    default:
      c.fail(op, 'operator unknown to the converter');
  }
}

/** Converts a .tflite file's bytes into an ONNX model. `source` names the file in errors and metadata. */
export function convertTfliteToOnnx(bytes: Uint8Array, source: string): ConvertedModel {
  const model = readTfliteModel(bytes, source);
  if (model.inputs.length !== 1 || model.outputs.length < 1) {
    throw new TfliteConversionError(source, 'graph', `has ${model.inputs.length} inputs and ${model.outputs.length} outputs, expected one input and at least one output`);
  }
  const c = new Converter(model);
  const input = c.defineInput(model.inputs[0]);
  const operators: Record<string, number> = {};
  for (const op of model.operators) {
    convertOperator(c, op);
    operators[operatorLabel(op)] = (operators[operatorLabel(op)] ?? 0) + 1;
  }
  const outputs = model.outputs.map((index) => {
    const tensor = model.tensors[index];
    const out = c.computed(index);
    if (out === null) throw new TfliteConversionError(source, 'graph', `output ${tensor.name} [${tensor.shape}] is not computed by the graph`);
    return { name: out.name, shape: tensor.shape.length === 4 ? NHWC_TO_NCHW.map((a) => tensor.shape[a]) : [...tensor.shape] };
  });
  // Only the file name goes into the model, so the output does not depend on where the source lay.
  const fileName = basename(source);
  const described = outputs.map((o) => `${o.name} ${o.shape.join('x')}`).join(', ');
  const onnx = encodeOnnxModel({
    producerName: 'backdrop-tflite2onnx',
    producerVersion: '1',
    docString: `Converted from ${fileName}. Input ${input.name}: float32 NCHW ${input.shape.join('x')}; outputs (float32, NCHW when 4-D): ${described}.`,
    opsetVersion: OPSET,
    metadata: { source: fileName, layout: 'NCHW', tflite_description: model.description },
    graph: {
      name: model.description || fileName,
      nodes: c.nodes,
      initializers: c.initializers,
      inputs: [{ name: input.name, elemType: ONNX_FLOAT, shape: input.shape }],
      outputs: outputs.map((o) => ({ name: o.name, elemType: ONNX_FLOAT, shape: o.shape })),
    },
  });
  const onnxNodes: Record<string, number> = {};
  for (const n of c.nodes) onnxNodes[n.opType] = (onnxNodes[n.opType] ?? 0) + 1;
  return { onnx, input, outputs, operators, onnxNodes };
}

/** Reads and converts a .tflite file; a missing or unreadable file is a TfliteFormatError naming it. */
export function convertTfliteFile(path: string): ConvertedModel {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TfliteFormatError(path, code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${code ?? String(error)})`);
  }
  return convertTfliteToOnnx(bytes, path);
}
