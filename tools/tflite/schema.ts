import { FlatbufferError, rootTable, type FlatTable } from './flatbuffer';
import { TfliteFormatError } from './errors';

/**
 * The parts of TensorFlow Lite's schema (tensorflow/lite/schema/schema.fbs) the converter reads, decoded
 * into plain objects. Field numbers below are the schema's declaration order; a union takes two slots
 * (its type, then its value).
 */

/** TensorType enum, by value. */
const TENSOR_TYPES = ['float32', 'float16', 'int32', 'uint8', 'int64', 'string', 'bool', 'int16', 'complex64', 'int8', 'float64'] as const;
export type TensorType = (typeof TENSOR_TYPES)[number] | `type${number}`;

/** BuiltinOperator enum names by value, so that an unsupported operator can be named in the error. */
const BUILTIN_NAMES = (
  'ADD AVERAGE_POOL_2D CONCATENATION CONV_2D DEPTHWISE_CONV_2D DEPTH_TO_SPACE DEQUANTIZE EMBEDDING_LOOKUP FLOOR ' +
  'FULLY_CONNECTED HASHTABLE_LOOKUP L2_NORMALIZATION L2_POOL_2D LOCAL_RESPONSE_NORMALIZATION LOGISTIC LSH_PROJECTION ' +
  'LSTM MAX_POOL_2D MUL RELU RELU_N1_TO_1 RELU6 RESHAPE RESIZE_BILINEAR RNN SOFTMAX SPACE_TO_DEPTH SVDF TANH ' +
  'CONCAT_EMBEDDINGS SKIP_GRAM CALL CUSTOM EMBEDDING_LOOKUP_SPARSE PAD UNIDIRECTIONAL_SEQUENCE_RNN GATHER ' +
  'BATCH_TO_SPACE_ND SPACE_TO_BATCH_ND TRANSPOSE MEAN SUB DIV SQUEEZE UNIDIRECTIONAL_SEQUENCE_LSTM STRIDED_SLICE ' +
  'BIDIRECTIONAL_SEQUENCE_RNN EXP TOPK_V2 SPLIT LOG_SOFTMAX DELEGATE BIDIRECTIONAL_SEQUENCE_LSTM CAST PRELU MAXIMUM ' +
  'ARG_MAX MINIMUM LESS NEG PADV2 GREATER GREATER_EQUAL LESS_EQUAL SELECT SLICE SIN TRANSPOSE_CONV SPARSE_TO_DENSE ' +
  'TILE EXPAND_DIMS EQUAL NOT_EQUAL LOG SUM SQRT RSQRT SHAPE POW ARG_MIN FAKE_QUANT REDUCE_PROD REDUCE_MAX PACK ' +
  'LOGICAL_OR ONE_HOT LOGICAL_AND LOGICAL_NOT UNPACK REDUCE_MIN FLOOR_DIV REDUCE_ANY SQUARE ZEROS_LIKE FILL FLOOR_MOD ' +
  'RANGE RESIZE_NEAREST_NEIGHBOR LEAKY_RELU SQUARED_DIFFERENCE MIRROR_PAD ABS SPLIT_V UNIQUE CEIL REVERSE_V2 ADD_N ' +
  'GATHER_ND COS WHERE RANK ELU REVERSE_SEQUENCE MATRIX_DIAG QUANTIZE MATRIX_SET_DIAG ROUND HARD_SWISH IF WHILE ' +
  'NON_MAX_SUPPRESSION_V4 NON_MAX_SUPPRESSION_V5 SCATTER_ND SELECT_V2 DENSIFY SEGMENT_SUM BATCH_MATMUL ' +
  'PLACEHOLDER_FOR_GREATER_OP_CODES CUMSUM CALL_ONCE BROADCAST_TO RFFT2D CONV_3D IMAG REAL COMPLEX_ABS HASHTABLE ' +
  'HASHTABLE_FIND HASHTABLE_IMPORT HASHTABLE_SIZE REDUCE_ALL CONV_3D_TRANSPOSE VAR_HANDLE READ_VARIABLE ' +
  'ASSIGN_VARIABLE BROADCAST_ARGS RANDOM_STANDARD_NORMAL BUCKETIZE RANDOM_UNIFORM MULTINOMIAL GELU ' +
  'DYNAMIC_UPDATE_SLICE RELU_0_TO_1 UNSORTED_SEGMENT_PROD UNSORTED_SEGMENT_MAX UNSORTED_SEGMENT_SUM ATAN2 ' +
  'UNSORTED_SEGMENT_MIN'
).split(' ');

export function builtinName(code: number): string {
  return BUILTIN_NAMES[code] ?? `BUILTIN_${code}`;
}

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: TensorType;
  /** Constant contents (little-endian), or null for a tensor computed at run time. */
  data: Uint8Array | null;
}

export interface TfliteOperator {
  index: number;
  /** Builtin operator name, e.g. 'CONV_2D'; 'CUSTOM' for custom operators. */
  builtin: string;
  /** Name of a custom operator, e.g. 'Convolution2DTransposeBias'; null for builtins. */
  custom: string | null;
  /** Tensor indices; -1 marks an optional input that is absent. */
  inputs: number[];
  outputs: number[];
  /** The operator's BuiltinOptions table (its type is implied by the operator), or null. */
  options: FlatTable | null;
  customOptions: Uint8Array | null;
}

export interface TfliteModel {
  source: string;
  version: number;
  description: string;
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
}

/** Readable label of an operator for messages: 'CONV_2D' or 'CUSTOM(Convolution2DTransposeBias)'. */
export function operatorLabel(op: Pick<TfliteOperator, 'builtin' | 'custom'>): string {
  return op.custom === null ? op.builtin : `CUSTOM(${op.custom})`;
}

function bufferData(buffer: FlatTable | undefined, file: Uint8Array, what: string): Uint8Array | null {
  if (!buffer) throw new FlatbufferError(`${what} refers to a buffer that does not exist`);
  const inline = buffer.bytesVector(0, `${what} data`);
  if (inline !== null && inline.length > 0) return inline;
  // Models over 2 GB keep tensor data after the flatbuffer and point at it with offset/size.
  const offset = buffer.scalar(1, 'u64', 0);
  const size = buffer.scalar(2, 'u64', 0);
  if (offset > 1 && size > 0) {
    if (offset + size > file.length) throw new FlatbufferError(`${what} data (${size} bytes at ${offset}) lies outside the file`);
    return file.subarray(offset, offset + size);
  }
  return null;
}

function readTensor(t: FlatTable, index: number, buffers: FlatTable[], file: Uint8Array): TfliteTensor {
  const what = `tensor ${index}`;
  const typeCode = t.scalar(1, 'i8', 0);
  const bufferIndex = t.scalar(2, 'u32', 0);
  return {
    index,
    shape: t.int32Vector(0, `${what} shape`),
    type: TENSOR_TYPES[typeCode] ?? `type${typeCode}`,
    name: t.string(3) ?? '',
    data: bufferIndex === 0 ? null : bufferData(buffers[bufferIndex], file, what),
  };
}

/** Decodes the first subgraph of a .tflite file. `source` names the file in errors. */
export function readTfliteModel(file: Uint8Array, source: string): TfliteModel {
  try {
    const model = rootTable(file, 'TFL3', 'Model');
    const version = model.scalar(0, 'u32', 0);
    if (version !== 3) throw new FlatbufferError(`schema version ${version}, only version 3 is supported`);
    const codes = model.tableVector(1, 'operator_codes').map((c) => {
      // The builtin code moved from a byte (field 0) to an int (field 3); readers take the larger.
      const code = Math.max(c.scalar(0, 'i8', 0), c.scalar(3, 'i32', 0));
      return { builtin: builtinName(code), custom: code === 32 ? (c.string(1) ?? '') : null };
    });
    const subgraphs = model.tableVector(2, 'subgraphs');
    if (subgraphs.length === 0) throw new FlatbufferError('the model has no subgraph');
    const buffers = model.tableVector(4, 'buffers');
    const graph = subgraphs[0];
    const tensors = graph.tableVector(0, 'tensors').map((t, i) => readTensor(t, i, buffers, file));
    const checkIndex = (i: number, what: string): number => {
      if (i < -1 || i >= tensors.length) throw new FlatbufferError(`${what} refers to tensor ${i}, the model has ${tensors.length}`);
      return i;
    };
    const operators = graph.tableVector(3, 'operators').map((op, index): TfliteOperator => {
      const what = `operator ${index}`;
      const opcode = op.scalar(0, 'u32', 0);
      const code = codes[opcode];
      if (!code) throw new FlatbufferError(`${what} has opcode index ${opcode}, the model declares ${codes.length}`);
      return {
        index,
        ...code,
        inputs: op.int32Vector(1, `${what} inputs`).map((i) => checkIndex(i, what)),
        outputs: op.int32Vector(2, `${what} outputs`).map((i) => checkIndex(i, what)),
        options: op.scalar(3, 'u8', 0) === 0 ? null : op.table(4, `${what} options`),
        customOptions: op.bytesVector(5, `${what} custom options`),
      };
    });
    return {
      source,
      version,
      description: model.string(3) ?? '',
      tensors,
      operators,
      inputs: graph.int32Vector(1, 'subgraph inputs').map((i) => checkIndex(i, 'subgraph inputs')),
      outputs: graph.int32Vector(2, 'subgraph outputs').map((i) => checkIndex(i, 'subgraph outputs')),
    };
  } catch (e) {
    if (e instanceof FlatbufferError) throw new TfliteFormatError(source, e.message);
    throw e;
  }
}
