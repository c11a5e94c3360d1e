import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { TfliteConversionError } from '../../../../tools/tflite/errors';
import { convertTfliteToOnnx } from '../../../../tools/tflite/convert';
import { BUILTIN, OPTIONS, tfliteModel, type ModelSpec, type OperatorSpec, type TensorSpec } from '../../../fixtures/tflite/tflite-builder';

/**
 * Each operator on a tiny hand-made TFLite model: converted, run by onnxruntime, and compared with values
 * worked out by hand. Inputs are fed NCHW, as the converted graph takes them.
 */

const SAME = 0;
const VALID = 1;
const RELU6 = 3;
/** Builtin operator and options codes the shared builder does not name (schema.fbs). */
const OP = { CONCATENATION: 2, FULLY_CONNECTED: 9, MAX_POOL_2D: 17, RELU6: 21, RESHAPE: 22, PAD: 34 } as const;
const OPTION = { FullyConnected: 8, Concatenation: 10 } as const;

/** Every graph output, in the order the TFLite model lists them. */
async function runAll(spec: ModelSpec, input: number[]): Promise<{ dims: readonly number[]; data: number[] }[]> {
  const converted = convertTfliteToOnnx(tfliteModel(spec), 'test.tflite');
  const session = await ort.InferenceSession.create(converted.onnx, { intraOpNumThreads: 1 });
  try {
    const feeds = { [converted.input.name]: new ort.Tensor('float32', Float32Array.from(input), converted.input.shape) };
    const results = await session.run(feeds);
    return converted.outputs.map(({ name }) => ({ dims: results[name].dims, data: Array.from(results[name].data as Float32Array) }));
  } finally {
    await session.release();
  }
}

async function run(spec: ModelSpec, input: number[]): Promise<{ dims: readonly number[]; data: number[] }> {
  return (await runAll(spec, input))[0];
}

/** A one-operator model: tensor 0 is the input, the last tensor the output, the rest constants. */
function single(input: readonly number[], output: readonly number[], op: Omit<OperatorSpec, 'inputs' | 'outputs'>, constants: TensorSpec[] = []): ModelSpec {
  const tensors: TensorSpec[] = [{ shape: input, name: 'input' }, ...constants, { shape: output, name: 'output' }];
  return {
    tensors,
    operators: [{ ...op, inputs: tensors.slice(0, -1).map((_, i) => i), outputs: [tensors.length - 1] }],
    inputs: [0],
    outputs: [tensors.length - 1],
  };
}

const f32 = (...v: number[]) => Float32Array.from(v);
const i32 = (...v: number[]) => Int32Array.from(v);
const close = (actual: number[], expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
};

describe('convertTfliteToOnnx, operator by operator', () => {
  it('CONV_2D with SAME padding puts the odd padding pixel after, as TFLite does', async () => {
    // 3x3 input 1..9, 2x2 kernel with ones on the diagonal, bias 0.5: out = in[y][x] + in[y+1][x+1] + 0.5.
    const spec = single([1, 3, 3, 1], [1, 3, 3, 1], { builtin: BUILTIN.CONV_2D, optionsType: OPTIONS.Conv2D, options: [{ u8: SAME }, { i32: 1 }, { i32: 1 }] }, [
      { shape: [1, 2, 2, 1], data: f32(1, 0, 0, 1) },
      { shape: [1], data: f32(0.5) },
    ]);
    const out = await run(spec, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(out.dims).toEqual([1, 1, 3, 3]);
    close(out.data, [6.5, 8.5, 3.5, 12.5, 14.5, 6.5, 7.5, 8.5, 9.5]);
  });

  it('CONV_2D maps OHWI weights and NHWC channels onto NCHW', async () => {
    // 1x1 conv, 2 in -> 2 out channels: out0 = 1*a + 10*b, out1 = 100*a + 1000*b.
    const spec = single([1, 1, 2, 2], [1, 1, 2, 2], { builtin: BUILTIN.CONV_2D, optionsType: OPTIONS.Conv2D, options: [{ u8: VALID }, { i32: 1 }, { i32: 1 }] }, [
      { shape: [2, 1, 1, 2], data: f32(1, 10, 100, 1000) },
      { shape: [2], data: f32(0, 0) },
    ]);
    // NCHW input: channel a = [1, 2], channel b = [3, 4] along the width.
    const out = await run(spec, [1, 2, 3, 4]);
    expect(out.dims).toEqual([1, 2, 1, 2]);
    close(out.data, [31, 42, 3100, 4200]);
  });

  it('CONV_2D with stride 2 and fused RELU6', async () => {
    // 1x4 input, 1x1 kernel of weight 2, stride 2 (VALID): picks x = 0 and 2, then clamps to [0, 6].
    const spec = single([1, 1, 4, 1], [1, 1, 2, 1], { builtin: BUILTIN.CONV_2D, optionsType: OPTIONS.Conv2D, options: [{ u8: VALID }, { i32: 2 }, { i32: 2 }, { u8: RELU6 }] }, [
      { shape: [1, 1, 1, 1], data: f32(2) },
      { shape: [1], data: f32(0) },
    ]);
    close((await run(spec, [-1, 100, 5, 100])).data, [0, 6]);
  });

  it('DEPTHWISE_CONV_2D filters each channel with its own kernel', async () => {
    // 2 channels, 1x2 kernels [1, 1] and [1, -1], VALID on a 1x3 row: sums and differences of neighbours.
    const spec = single([1, 1, 3, 2], [1, 1, 2, 2], { builtin: BUILTIN.DEPTHWISE_CONV_2D, optionsType: OPTIONS.DepthwiseConv2D, options: [{ u8: VALID }, { i32: 1 }, { i32: 1 }, { i32: 1 }] }, [
      { shape: [1, 1, 2, 2], data: f32(1, 1, 1, -1) },
      { shape: [2], data: f32(0, 100) },
    ]);
    // NCHW: channel 0 = [1, 2, 4], channel 1 = [10, 20, 40].
    close((await run(spec, [1, 2, 4, 10, 20, 40])).data, [3, 6, 100 - 10, 100 - 20]);
  });

  it('Convolution2DTransposeBias scatters each input through the kernel, stride 2', async () => {
    // 1D along the width: in [1, 10], kernel [1, 2, 3], SAME trims the last output: [1, 2, 3 + 10, 20] + bias.
    const options = new Uint8Array(new Int32Array([1, 2, 2]).buffer); // SAME, stride_w 2, stride_h 2
    const spec = single([1, 1, 2, 1], [1, 1, 4, 1], { builtin: BUILTIN.CUSTOM, custom: 'Convolution2DTransposeBias', customOptions: options }, [
      { shape: [1, 1, 3, 1], data: f32(1, 2, 3) },
      { shape: [1], data: f32(0.25) },
    ]);
    close((await run(spec, [1, 10])).data, [1.25, 2.25, 13.25, 20.25]);
  });

  it('AVERAGE_POOL_2D with SAME padding averages only real pixels', async () => {
    // 3x3 input 1..9, 2x2 window, stride 2: [avg(1,2,4,5), avg(3,6), avg(7,8), 9].
    const spec = single([1, 3, 3, 1], [1, 2, 2, 1], {
      builtin: BUILTIN.AVERAGE_POOL_2D,
      optionsType: OPTIONS.Pool2D,
      options: [{ u8: SAME }, { i32: 2 }, { i32: 2 }, { i32: 2 }, { i32: 2 }],
    });
    close((await run(spec, [1, 2, 3, 4, 5, 6, 7, 8, 9])).data, [3, 4.5, 7.5, 9]);
  });

  it('MEAN over height and width keeps one value per channel', async () => {
    const spec = single([1, 2, 1, 2], [1, 1, 1, 2], { builtin: BUILTIN.MEAN, optionsType: OPTIONS.Reducer, options: [{ u8: 1 }] }, [
      { shape: [2], type: 'int32', data: i32(1, 2) },
    ]);
    // NCHW: channel 0 = [1, 3], channel 1 = [10, 30].
    close((await run(spec, [1, 3, 10, 30])).data, [2, 20]);
  });

  it('MEAN over channels maps the NHWC axis to NCHW', async () => {
    const spec = single([1, 1, 2, 2], [1, 1, 2, 1], { builtin: BUILTIN.MEAN, optionsType: OPTIONS.Reducer, options: [{ u8: 1 }] }, [
      { shape: [1], type: 'int32', data: i32(-1) },
    ]);
    close((await run(spec, [1, 3, 10, 30])).data, [5.5, 16.5]);
  });

  it.each([
    ['half_pixel_centers', [undefined, undefined, undefined, { u8: 1 }], [0, 0.25, 0.75, 1]],
    ['align_corners', [undefined, undefined, { u8: 1 }], [0, 1 / 3, 2 / 3, 1]],
    ['neither (legacy TF)', [], [0, 0.5, 1, 1]],
  ] as const)('RESIZE_BILINEAR with %s', async (_, options, expected) => {
    const spec = single([1, 1, 2, 1], [1, 1, 4, 1], { builtin: BUILTIN.RESIZE_BILINEAR, optionsType: OPTIONS.ResizeBilinear, options: [...options] }, [
      { shape: [2], type: 'int32', data: i32(1, 4) },
    ]);
    close((await run(spec, [0, 1])).data, [...expected]);
  });

  it('ADD broadcasts a per-channel constant and applies its fused RELU6', async () => {
    const spec = single([1, 1, 1, 3], [1, 1, 1, 3], { builtin: BUILTIN.ADD, optionsType: OPTIONS.Add, options: [{ u8: RELU6 }] }, [
      { shape: [3], data: f32(0, 1, 2) },
    ]);
    close((await run(spec, [-1, 3, 8])).data, [0, 4, 6]);
  });

  it('MUL of two activations broadcasts [1,1,1,C] over the image', async () => {
    // x * mean(x over H, W): channel 0 = [1, 3] (mean 2), channel 1 = [10, 30] (mean 20).
    const spec: ModelSpec = {
      tensors: [{ shape: [1, 2, 1, 2] }, { shape: [2], type: 'int32', data: i32(1, 2) }, { shape: [1, 1, 1, 2] }, { shape: [1, 2, 1, 2] }],
      operators: [
        { builtin: BUILTIN.MEAN, inputs: [0, 1], outputs: [2], optionsType: OPTIONS.Reducer, options: [{ u8: 1 }] },
        { builtin: BUILTIN.MUL, inputs: [0, 2], outputs: [3], optionsType: OPTIONS.Mul, options: [{ u8: 0 }] },
      ],
      inputs: [0],
      outputs: [3],
    };
    close((await run(spec, [1, 3, 10, 30])).data, [2, 6, 200, 600]);
  });

  it.each([
    ['HARD_SWISH', BUILTIN.HARD_SWISH, [0, -1 / 3, 0, 2 / 3, 4]],
    ['RELU', BUILTIN.RELU, [0, 0, 0, 1, 4]],
    ['LOGISTIC', BUILTIN.LOGISTIC, [-4, -1, 0, 1, 4].map((x) => 1 / (1 + Math.exp(-x)))],
  ] as const)('%s', async (_, builtin, expected) => {
    const spec = single([1, 1, 5, 1], [1, 1, 5, 1], { builtin });
    close((await run(spec, [-4, -1, 0, 1, 4])).data, [...expected]);
  });

  it('RELU6 clamps to [0, 6] with a single Clip whose bounds are inputs (opset 17)', async () => {
    const spec = single([1, 1, 5, 1], [1, 1, 5, 1], { builtin: OP.RELU6 });
    const converted = convertTfliteToOnnx(tfliteModel(spec), 'relu6.tflite');
    expect(converted.onnxNodes).toEqual({ Clip: 1 });
    close((await run(spec, [-3, 0, 2.5, 6, 7.5])).data, [0, 0, 2.5, 6, 6]);
  });

  it('FULLY_CONNECTED with keep_num_dims applies W x + b at every pixel', async () => {
    // Two pixels x = (1, 2, 3) and (4, 5, 6); W = [[1, 0, -2], [0.5, 1, 2]], b = [10, -1]:
    // pixel 0 -> (1 - 6 + 10, 0.5 + 2 + 6 - 1) = (5, 7.5); pixel 1 -> (4 - 12 + 10, 2 + 5 + 12 - 1) = (2, 18).
    const spec = single([1, 1, 2, 3], [1, 1, 2, 2], { builtin: OP.FULLY_CONNECTED, optionsType: OPTION.FullyConnected, options: [undefined, undefined, { u8: 1 }] }, [
      { shape: [2, 3], data: f32(1, 0, -2, 0.5, 1, 2) },
      { shape: [2], data: f32(10, -1) },
    ]);
    // NCHW in: channel 0 = [1, 4], 1 = [2, 5], 2 = [3, 6]; out: channel 0 = [5, 2], 1 = [7.5, 18].
    const out = await run(spec, [1, 4, 2, 5, 3, 6]);
    expect(out.dims).toEqual([1, 2, 1, 2]);
    close(out.data, [5, 2, 7.5, 18]);
  });

  it('FULLY_CONNECTED without a bias and with fused RELU6', async () => {
    // x = (5, 3), W = [[1, 1], [1, -1], [-1, 0]]: (8, 2, -5), clamped to (6, 2, 0).
    const spec: ModelSpec = {
      tensors: [{ shape: [1, 1, 1, 2] }, { shape: [3, 2], data: f32(1, 1, 1, -1, -1, 0) }, { shape: [1, 1, 1, 3] }],
      operators: [{ builtin: OP.FULLY_CONNECTED, inputs: [0, 1, -1], outputs: [2], optionsType: OPTION.FullyConnected, options: [{ u8: RELU6 }, undefined, { u8: 1 }] }],
      inputs: [0],
      outputs: [2],
    };
    close((await run(spec, [5, 3])).data, [6, 2, 0]);
  });

  it('CONCATENATION along channels (axis -1) stacks NCHW channel planes', async () => {
    // x = [-1, 2] along the width; concat(x, relu(x)) on channels: channel 0 = x, channel 1 = [0, 2].
    const spec: ModelSpec = {
      tensors: [{ shape: [1, 1, 2, 1] }, { shape: [1, 1, 2, 1] }, { shape: [1, 1, 2, 2] }],
      operators: [
        { builtin: BUILTIN.RELU, inputs: [0], outputs: [1] },
        { builtin: OP.CONCATENATION, inputs: [0, 1], outputs: [2], optionsType: OPTION.Concatenation, options: [{ i32: -1 }] },
      ],
      inputs: [0],
      outputs: [2],
    };
    const out = await run(spec, [-1, 2]);
    expect(out.dims).toEqual([1, 2, 1, 2]);
    close(out.data, [-1, 2, 0, 2]);
  });

  it('CONCATENATION along the width with fused RELU6', async () => {
    // x = [-2, 3, 7]; concat(x, relu(x)) on axis 2 = [-2, 3, 7, 0, 3, 7], clamped to [0, 6].
    const spec: ModelSpec = {
      tensors: [{ shape: [1, 1, 3, 1] }, { shape: [1, 1, 3, 1] }, { shape: [1, 1, 6, 1] }],
      operators: [
        { builtin: BUILTIN.RELU, inputs: [0], outputs: [1] },
        { builtin: OP.CONCATENATION, inputs: [0, 1], outputs: [2], optionsType: OPTION.Concatenation, options: [{ i32: 2 }, { u8: RELU6 }] },
      ],
      inputs: [0],
      outputs: [2],
    };
    const out = await run(spec, [-2, 3, 7]);
    expect(out.dims).toEqual([1, 1, 1, 6]);
    close(out.data, [0, 3, 6, 0, 3, 6]);
  });

  it('PAD adds zeros before the width and after the channels, as the face detectors widen channels', async () => {
    // x = [1, 2] along the width, one channel; paddings [[0,0],[0,0],[1,0],[0,2]] -> width 3, channels 3.
    const spec = single([1, 1, 2, 1], [1, 1, 3, 3], { builtin: OP.PAD }, [{ shape: [4, 2], type: 'int32', data: i32(0, 0, 0, 0, 1, 0, 0, 2) }]);
    const out = await run(spec, [1, 2]);
    expect(out.dims).toEqual([1, 3, 1, 3]);
    close(out.data, [0, 1, 2, 0, 0, 0, 0, 0, 0]);
  });

  it('MAX_POOL_2D with SAME padding leaves padded pixels out of the maximum', async () => {
    // 3x3 of -1..-9, 2x2 window, stride 2: the odd padding row and column come after, and a padded 0 must
    // not win over the negative pixels: [[max(-1,-2,-4,-5), max(-3,-6)], [max(-7,-8), -9]].
    const spec = single([1, 3, 3, 1], [1, 2, 2, 1], {
      builtin: OP.MAX_POOL_2D,
      optionsType: OPTIONS.Pool2D,
      options: [{ u8: SAME }, { i32: 2 }, { i32: 2 }, { i32: 2 }, { i32: 2 }],
    });
    const out = await run(spec, [-1, -2, -3, -4, -5, -6, -7, -8, -9]);
    expect(out.dims).toEqual([1, 1, 2, 2]);
    close(out.data, [-1, -3, -7, -9]);
  });

  it('RESHAPE of a 4-D activation keeps TFLite\'s NHWC element order', async () => {
    // NHWC [1,2,2,1] of v(h, w) = 10h + w, flat 0, 1, 10, 11, reshaped to [1,1,2,2]: (w', c') takes flat
    // 2w' + c', so channel 0 = [0, 10] and channel 1 = [1, 11] along the width. A plain NCHW reshape would
    // give [0, 1, 10, 11].
    const spec = single([1, 2, 2, 1], [1, 1, 2, 2], { builtin: OP.RESHAPE });
    const out = await run(spec, [0, 1, 10, 11]);
    expect(out.dims).toEqual([1, 2, 1, 2]);
    close(out.data, [0, 10, 1, 11]);
  });

  it('RESHAPE to rank 3, CONCATENATION of rank-3 tensors and two graph outputs, as the detectors end', async () => {
    // NHWC x at (w, c): (0,0) = -1, (0,1) = 2, (1,0) = 3, (1,1) = -4. Output 0 is
    // concat(reshape(x), reshape(relu(x))) on axis 1 = [[-1,2],[3,-4],[0,2],[3,0]]; output 1 is relu(x), NCHW.
    const spec: ModelSpec = {
      tensors: [{ shape: [1, 1, 2, 2] }, { shape: [1, 2, 2] }, { shape: [1, 1, 2, 2] }, { shape: [1, 2, 2] }, { shape: [1, 4, 2] }],
      operators: [
        { builtin: OP.RESHAPE, inputs: [0], outputs: [1] },
        { builtin: BUILTIN.RELU, inputs: [0], outputs: [2] },
        { builtin: OP.RESHAPE, inputs: [2], outputs: [3] },
        { builtin: OP.CONCATENATION, inputs: [1, 3], outputs: [4], optionsType: OPTION.Concatenation, options: [{ i32: 1 }] },
      ],
      inputs: [0],
      outputs: [4, 2],
    };
    // NCHW feed: channel 0 = [-1, 3], channel 1 = [2, -4].
    const [boxes, relu] = await runAll(spec, [-1, 3, 2, -4]);
    expect(boxes.dims).toEqual([1, 4, 2]);
    close(boxes.data, [-1, 2, 3, -4, 0, 2, 3, 0]);
    expect(relu.dims).toEqual([1, 2, 1, 2]);
    close(relu.data, [0, 3, 2, 0]);
  });

  it('DEQUANTIZE turns float16 weights into the float32 constants the next operator reads', async () => {
    // float16 0x3c00 = 1, 0xc000 = -2: a 1x1 conv with weight 1 then one with weight -2.
    const spec: ModelSpec = {
      tensors: [
        { shape: [1, 1, 1, 1] },
        { shape: [1, 1, 1, 1], type: 'float16', data: Uint16Array.of(0x3c00) },
        { shape: [1, 1, 1, 1] },
        { shape: [1], type: 'float16', data: Uint16Array.of(0xc000) },
        { shape: [1] },
        { shape: [1, 1, 1, 1] },
      ],
      operators: [
        { builtin: BUILTIN.DEQUANTIZE, inputs: [1], outputs: [2] },
        { builtin: BUILTIN.DEQUANTIZE, inputs: [3], outputs: [4] },
        { builtin: BUILTIN.CONV_2D, inputs: [0, 2, 4], outputs: [5], optionsType: OPTIONS.Conv2D, options: [{ u8: VALID }, { i32: 1 }, { i32: 1 }] },
      ],
      inputs: [0],
      outputs: [5],
    };
    close((await run(spec, [3])).data, [1]);
  });
});

describe('convertTfliteToOnnx, refusals', () => {
  it('names an unknown builtin operator and the model', () => {
    const bytes = tfliteModel(single([1, 1, 1, 2], [1, 1, 1, 2], { builtin: BUILTIN.SOFTMAX }));
    expect(() => convertTfliteToOnnx(bytes, 'softmax.tflite')).toThrow(TfliteConversionError);
    expect(() => convertTfliteToOnnx(bytes, 'softmax.tflite')).toThrow(/softmax\.tflite: cannot convert operator SOFTMAX/);
  });

  it('names an unknown custom operator', () => {
    const bytes = tfliteModel(single([1, 2, 2, 1], [1, 1, 1, 1], { builtin: BUILTIN.CUSTOM, custom: 'MaxPoolingWithArgmax2D' }));
    expect(() => convertTfliteToOnnx(bytes, 'pool.tflite')).toThrow(/pool\.tflite: cannot convert operator CUSTOM\(MaxPoolingWithArgmax2D\)/);
  });

  it('refuses FULLY_CONNECTED that would flatten the activation (keep_num_dims=false)', () => {
    const bytes = tfliteModel(
      single([1, 1, 1, 2], [1, 2], { builtin: OP.FULLY_CONNECTED, optionsType: OPTION.FullyConnected, options: [] }, [{ shape: [2, 2], data: f32(1, 0, 0, 1) }]),
    );
    expect(() => convertTfliteToOnnx(bytes, 'fc.tflite')).toThrow(/fc\.tflite: cannot convert operator FULLY_CONNECTED: .*keep_num_dims=false/);
  });

  it('refuses a RESHAPE that changes the number of elements', () => {
    const bytes = tfliteModel(single([1, 2, 2, 1], [1, 3], { builtin: OP.RESHAPE }));
    expect(() => convertTfliteToOnnx(bytes, 'reshape.tflite')).toThrow(/reshape\.tflite: cannot convert operator RESHAPE: .*cannot reshape \[1,2,2,1\] to \[1,3\]/);
  });

  it('refuses a model whose declared output shape disagrees with the operator', () => {
    const bytes = tfliteModel(
      single([1, 3, 3, 1], [1, 3, 3, 1], { builtin: BUILTIN.CONV_2D, optionsType: OPTIONS.Conv2D, options: [{ u8: VALID }, { i32: 1 }, { i32: 1 }] }, [
        { shape: [1, 2, 2, 1], data: f32(1, 1, 1, 1) },
        { shape: [1], data: f32(0) },
      ]),
    );
    expect(() => convertTfliteToOnnx(bytes, 'bad.tflite')).toThrow(/TFLite declares output shape \[1,3,3,1\].*\[1,2,2,1\]/);
  });
});

describe('convertTfliteToOnnx on the MediaPipe models', () => {
  const packageDir = dirname(createRequire(import.meta.url).resolve('@mediapipe/selfie_segmentation/package.json'));

  it.each([
    ['selfie_segmentation.tflite', [1, 3, 256, 256], [1, 1, 256, 256], 'AVERAGE_POOL_2D'],
    ['selfie_segmentation_landscape.tflite', [1, 3, 144, 256], [1, 1, 144, 256], 'MEAN'],
  ])('%s converts to NCHW without a single Transpose', (file, input, output, pooling) => {
    const converted = convertTfliteToOnnx(readFileSync(join(packageDir, file)), file);
    expect(converted.input.shape).toEqual(input);
    expect(converted.outputs.map((o) => o.shape)).toEqual([output]);
    expect(converted.operators).toMatchObject({ DEQUANTIZE: 110, CONV_2D: 43, 'CUSTOM(Convolution2DTransposeBias)': 1, [pooling]: 10 });
    expect(converted.onnxNodes.Transpose).toBeUndefined();
    expect(converted.onnxNodes).toMatchObject({ Conv: 54, ConvTranspose: 1, Resize: 3, HardSwish: 11, Sigmoid: 11 });
  });

  const faceDir = dirname(createRequire(import.meta.url).resolve('@mediapipe/face_detection/package.json'));

  it.each([
    ['face_detection_short_range.tflite', [1, 3, 128, 128], 896, { PAD: 11, MAX_POOL_2D: 3, RESHAPE: 4, CONCATENATION: 2 }],
    ['face_detection_full_range.tflite', [1, 3, 192, 192], 2304, { PAD: 8, MAX_POOL_2D: 4, RESHAPE: 2, RESIZE_BILINEAR: 3 }],
  ])('%s converts to boxes and scores in TFLite\'s [1, anchors, values] layout', (file, input, anchors, operators) => {
    const converted = convertTfliteToOnnx(readFileSync(join(faceDir, file)), file);
    expect(converted.input.shape).toEqual(input);
    expect(converted.outputs.map((o) => o.shape)).toEqual([
      [1, anchors, 16],
      [1, anchors, 1],
    ]);
    expect(converted.operators).toMatchObject(operators);
    // One Transpose per RESHAPE of a 4-D head output, and none elsewhere.
    expect(converted.onnxNodes.Transpose).toBe(operators.RESHAPE);
  });
});
