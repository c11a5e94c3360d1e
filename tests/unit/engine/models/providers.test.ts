import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { convertTfliteToOnnx } from '../../../../tools/tflite/convert';
import { createOrtSession, ModelLoadError, providerCandidates } from '../../../../src/engine/models/providers';
import { BUILTIN, tfliteModel } from '../../../fixtures/tflite/tflite-builder';

const dir = mkdtempSync(join(tmpdir(), 'backdrop-providers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A one-node model (Relu on 1x1x2x2), small enough to load in milliseconds. */
function tinyModel(): string {
  const spec = { tensors: [{ shape: [1, 2, 2, 1] }, { shape: [1, 2, 2, 1] }], operators: [{ builtin: BUILTIN.RELU, inputs: [0], outputs: [1] }], inputs: [0], outputs: [1] };
  const path = join(dir, 'relu.onnx');
  writeFileSync(path, convertTfliteToOnnx(tfliteModel(spec), 'relu.tflite').onnx);
  return path;
}

describe('providerCandidates', () => {
  it.each([
    ['linux', ['cpu', 'webgpu', 'cuda', 'tensorrt'], ['cuda', 'tensorrt', 'webgpu', 'cpu']],
    ['linux', ['cpu', 'webgpu'], ['webgpu', 'cpu']],
    ['win32', ['cpu', 'dml', 'webgpu'], ['dml', 'webgpu', 'cpu']],
    ['darwin', ['cpu', 'coreml'], ['coreml', 'cpu']],
    ['darwin', undefined, ['coreml', 'webgpu', 'cpu']],
    ['freebsd', ['cpu', 'webgpu'], ['webgpu', 'cpu']],
    ['linux', ['cpu'], ['cpu']],
  ] as const)('%s offering %j tries %j', (platform, available, expected) => {
    expect(providerCandidates(platform, available)).toEqual(expected);
  });
});

describe('createOrtSession', () => {
  const model = tinyModel();

  it('falls back to CPU when CUDA cannot load, and says why', async () => {
    // This onnxruntime-node build ships no CUDA provider library, so asking for it must fail.
    const r = await createOrtSession(model, { providers: ['cuda'], threads: 1 });
    try {
      expect(r.provider).toBe('cpu');
      expect(r.fellBack).toBe(true);
      expect(r.failures).toHaveLength(1);
      expect(r.failures[0].provider).toBe('cuda');
      expect(r.failures[0].reason).toMatch(/^session creation failed: .*Cuda.*shared library/i);
    } finally {
      await r.session.release();
    }
  });

  it('falls back when the session opens but its first run fails, and releases the broken session', async () => {
    let released = false;
    const broken = {
      inputMetadata: [],
      run: () => Promise.reject(new Error('CUDNN_STATUS_EXECUTION_FAILED')),
      release: async () => {
        released = true;
      },
    } as unknown as ort.InferenceSession;
    const r = await createOrtSession(model, {
      providers: ['fake-gpu', 'cpu'],
      create: (path, options) => (options.executionProviders?.[0] === 'fake-gpu' ? Promise.resolve(broken) : ort.InferenceSession.create(path, options)),
    });
    try {
      expect(r.provider).toBe('cpu');
      expect(r.failures).toEqual([{ provider: 'fake-gpu', reason: 'first run failed: CUDNN_STATUS_EXECUTION_FAILED' }]);
      expect(released).toBe(true);
      const out = await r.session.run({ [r.session.inputNames[0]]: new ort.Tensor('float32', Float32Array.of(-1, 2, -3, 4), [1, 1, 2, 2]) });
      expect(Array.from(out[r.session.outputNames[0]].data as Float32Array)).toEqual([0, 2, 0, 4]);
    } finally {
      await r.session.release();
    }
  });

  it('uses the first provider that works without reporting a fallback', async () => {
    const r = await createOrtSession(model, { providers: ['cpu'] });
    expect([r.provider, r.fellBack, r.failures]).toEqual(['cpu', false, []]);
    await r.session.release();
  });

  it('a missing model file is a ModelLoadError naming it', async () => {
    const path = join(dir, 'missing.onnx');
    await expect(createOrtSession(path)).rejects.toThrow(ModelLoadError);
    await expect(createOrtSession(path)).rejects.toThrow(`cannot load model ${path}: the file does not exist or cannot be read`);
  });

  it('a corrupt model file is a ModelLoadError carrying the CPU failure', async () => {
    const path = join(dir, 'corrupt.onnx');
    writeFileSync(path, 'this is not a protobuf');
    const error = await createOrtSession(path, { providers: ['cpu'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).path).toBe(path);
    expect((error as ModelLoadError).message).toMatch(/session creation failed: .*protobuf parsing failed/i);
  });
});
