import { ProtoMessage } from './protobuf';

/**
 * The subset of onnx.proto (ModelProto and what it contains) the converter writes. Field numbers are
 * onnx.proto's; only dense tensors with raw little-endian data, static shapes and the default domain.
 */

/** TensorProto.DataType values. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

/** IR version 8 is what opset 17 requires; onnxruntime 1.30 reads it. */
const IR_VERSION = 8;

export type OnnxAttribute = { int: number } | { ints: readonly number[] } | { string: string };

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Record<string, OnnxAttribute>;
}

export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  dataType: typeof ONNX_FLOAT | typeof ONNX_INT64;
  /** Little-endian element data, dims' product elements. */
  raw: Uint8Array;
}

export interface OnnxValueInfo {
  name: string;
  elemType: typeof ONNX_FLOAT;
  shape: readonly number[];
  docString?: string;
}

export interface OnnxModel {
  producerName: string;
  producerVersion: string;
  docString: string;
  opsetVersion: number;
  metadata: Record<string, string>;
  graph: {
    name: string;
    nodes: readonly OnnxNode[];
    initializers: readonly OnnxTensor[];
    inputs: readonly OnnxValueInfo[];
    outputs: readonly OnnxValueInfo[];
  };
}

const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

function attribute(name: string, a: OnnxAttribute): ProtoMessage {
  const m = new ProtoMessage().string(1, name);
  if ('int' in a) return m.varint(3, a.int).varint(20, ATTR_INT);
  if ('ints' in a) return m.packedVarints(8, a.ints).varint(20, ATTR_INTS);
  return m.string(4, a.string).varint(20, ATTR_STRING);
}

function node(n: OnnxNode): ProtoMessage {
  const m = new ProtoMessage();
  for (const i of n.inputs) m.string(1, i);
  for (const o of n.outputs) m.string(2, o);
  m.string(3, n.name).string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes ?? {})) m.message(5, attribute(name, a));
  return m;
}

function tensor(t: OnnxTensor): ProtoMessage {
  return new ProtoMessage().packedVarints(1, t.dims).varint(2, t.dataType).string(8, t.name).bytes(9, t.raw);
}

function valueInfo(v: OnnxValueInfo): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of v.shape) shape.message(1, new ProtoMessage().varint(1, d));
  const tensorType = new ProtoMessage().varint(1, v.elemType).message(2, shape);
  const m = new ProtoMessage().string(1, v.name).message(2, new ProtoMessage().message(1, tensorType));
  if (v.docString) m.string(3, v.docString);
  return m;
}

export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const g = new ProtoMessage();
  for (const n of model.graph.nodes) g.message(1, node(n));
  g.string(2, model.graph.name);
  for (const t of model.graph.initializers) g.message(5, tensor(t));
  for (const v of model.graph.inputs) g.message(11, valueInfo(v));
  for (const v of model.graph.outputs) g.message(12, valueInfo(v));

  const m = new ProtoMessage()
    .varint(1, IR_VERSION)
    .string(2, model.producerName)
    .string(3, model.producerVersion)
    .string(6, model.docString)
    .message(7, g)
    .message(8, new ProtoMessage().string(1, '').varint(2, model.opsetVersion));
  for (const [key, value] of Object.entries(model.metadata)) {
    m.message(14, new ProtoMessage().string(1, key).string(2, value));
  }
  return m.finish();
}
