import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { convertTfliteToOnnx } from '../../../../tools/tflite/convert';
import {
  createOrtSession,
  describeProviders,
  hasVulkanDriver,
  ModelLoadError,
  providerCandidates,
  providerUnavailable,
  vulkanDriverDirs,
} from '../../../../src/engine/models/providers';
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

describe('providerUnavailable', () => {
  const bare = { platform: 'linux' as const, bindingFiles: new Set<string>(), vulkanDriver: false };
  const cudaLibs = new Set(['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so']);

  it('skips CUDA and TensorRT without their provider libraries beside the binding', () => {
    expect(providerUnavailable('cuda', bare)).toBe('libraries not installed');
    expect(providerUnavailable('tensorrt', { ...bare, bindingFiles: cudaLibs })).toBe('libraries not installed');
    expect(providerUnavailable('cuda', { ...bare, bindingFiles: cudaLibs })).toBeNull();
  });

  it('skips WebGPU on Linux without a Vulkan driver, and nowhere else', () => {
    expect(providerUnavailable('webgpu', bare)).toBe('no Vulkan driver');
    expect(providerUnavailable('webgpu', { ...bare, vulkanDriver: true })).toBeNull();
    expect(providerUnavailable('webgpu', { ...bare, platform: 'win32' })).toBeNull();
    expect(providerUnavailable('cpu', bare)).toBeNull();
  });
});

describe('hasVulkanDriver', () => {
  const none = () => [];
  it('reads the loader\'s manifest folders, XDG ones included', () => {
    expect(vulkanDriverDirs({ XDG_DATA_DIRS: '/a:/b' }, '/home/u')).toEqual([
      '/home/u/.config/vulkan/icd.d',
      '/etc/xdg/vulkan/icd.d',
      '/usr/local/etc/vulkan/icd.d',
      '/etc/vulkan/icd.d',
      '/home/u/.local/share/vulkan/icd.d',
      '/a/vulkan/icd.d',
      '/b/vulkan/icd.d',
    ]);
    expect(hasVulkanDriver({}, '/h', (dir) => (dir === '/usr/share/vulkan/icd.d' ? ['nvidia_icd.json'] : []))).toBe(true);
    expect(hasVulkanDriver({}, '/h', (dir) => (dir === '/usr/share/vulkan/icd.d' ? ['README'] : []))).toBe(false);
  });

  it('takes drivers named in the environment only when the files are there', () => {
    expect(hasVulkanDriver({ VK_ICD_FILENAMES: '/x.json' }, '/h', () => ['lvp_icd.json'], () => false)).toBe(false);
    expect(hasVulkanDriver({ VK_DRIVER_FILES: '/x.json:/y.json' }, '/h', none, (p) => p === '/y.json')).toBe(true);
    expect(hasVulkanDriver({ VK_ADD_DRIVER_FILES: '/x.json' }, '/h', none, () => true)).toBe(true);
  });
});

describe('describeProviders', () => {
  it('says what runs and why the others did not, sharing a reason', () => {
    expect(
      describeProviders('cpu', [
        { provider: 'cuda', reason: 'libraries not installed' },
        { provider: 'tensorrt', reason: 'libraries not installed' },
        { provider: 'webgpu', reason: 'no Vulkan driver' },
      ]),
    ).toBe('cpu (CUDA, TensorRT: libraries not installed; WebGPU: no Vulkan driver)');
    expect(describeProviders('cuda', [])).toBe('cuda');
  });
});

describe('createOrtSession', () => {
  const model = tinyModel();

  it('skips CUDA without asking onnxruntime when its libraries are not installed', async () => {
    // The project's install skips onnxruntime-node's download of the CUDA provider libraries.
    const r = await createOrtSession(model, { providers: ['cuda'], threads: 1 });
    try {
      expect(r.provider).toBe('cpu');
      expect(r.failures).toEqual([{ provider: 'cuda', reason: 'libraries not installed' }]);
    } finally {
      await r.session.release();
    }
  });

  it('falls back to CPU when CUDA cannot load, and says why', async () => {
    // Told its libraries are there, onnxruntime tries CUDA and fails: this build ships none.
    const environment = { platform: 'linux' as const, bindingFiles: new Set(['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so']), vulkanDriver: false };
    const r = await createOrtSession(model, { providers: ['cuda'], threads: 1, environment });
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
