import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The exported FBA networks, run in onnxruntime-node, against PyTorch's output on the same stored inputs
 * (tests/fixtures/fba-export/, written by training/export.py --fixture). The light model is the committed
 * models/fba_light.onnx; the full ResNet-50 model (~140 MB, never committed) is exported here from seeded
 * random weights, which is what its stored output was computed with.
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixtures = join(root, 'tests/fixtures/fba-export');
const lightModel = join(root, 'models/fba_light.onnx');
const python = '/usr/bin/python3';
const TOLERANCE = 1e-4;
const INPUT_NAMES = ['image', 'trimap2', 'image_n', 'trimap6'];

function floats(path: string): Float32Array {
  const raw = readFileSync(path);
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

function storedInputs(): Record<string, ort.Tensor> {
  const meta = JSON.parse(readFileSync(join(fixtures, 'inputs.json'), 'utf8')) as { inputs: Record<string, number[]> };
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, shape] of Object.entries(meta.inputs)) {
    feeds[name] = new ort.Tensor('float32', floats(join(fixtures, `${name}.bin`)), shape);
  }
  return feeds;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function runModel(path: string, feeds: Record<string, ort.Tensor>): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(path, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    expect([...session.inputNames].sort()).toEqual([...INPUT_NAMES].sort());
    expect(session.outputNames).toEqual(['output']);
    return (await session.run(feeds)).output;
  } finally {
    await session.release();
  }
}

function expectParity(output: ort.Tensor, variant: string): void {
  const meta = JSON.parse(readFileSync(join(fixtures, `${variant}.json`), 'utf8')) as { output: number[] };
  const expected = floats(join(fixtures, `${variant}.output.bin`));
  expect(output.dims).toEqual(meta.output);
  const got = output.data as Float32Array;
  expect(got.length).toBe(expected.length);
  expect(maxAbsDiff(got, expected)).toBeLessThan(TOLERANCE);
}

function torchMissing(): string | null {
  if (!existsSync(python)) return `${python} not found`;
  const probe = spawnSync(python, ['-c', 'import torch, onnx'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `${python} cannot import torch/onnx (install python3-torch, python3-onnx)`;
}

describe('FBA ONNX export matches PyTorch', () => {
  it('light: models/fba_light.onnx reproduces the stored PyTorch output within 1e-4', async () => {
    expect(existsSync(lightModel), 'models/fba_light.onnx is committed').toBe(true);
    expectParity(await runModel(lightModel, storedInputs()), 'light');
  });

  it('light: H and W are dynamic, output values are alpha, F, B in [0, 1]', async () => {
    const [h, w] = [192, 320];
    const feeds: Record<string, ort.Tensor> = {};
    const channels: Record<string, number> = { image: 3, trimap2: 2, image_n: 3, trimap6: 6 };
    for (const name of INPUT_NAMES) {
      const data = new Float32Array(channels[name] * h * w);
      for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 1000) / 1000;
      feeds[name] = new ort.Tensor('float32', data, [1, channels[name], h, w]);
    }
    const out = await runModel(lightModel, feeds);
    expect(out.dims).toEqual([1, 7, h, w]);
    const data = out.data as Float32Array;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
  });

  const missing = torchMissing();
  const dir = mkdtempSync(join(tmpdir(), 'fba-full-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(missing !== null)(
    `full: ResNet-50 export from seeded random weights reproduces PyTorch within 1e-4${missing ? ` (skipped: ${missing})` : ''}`,
    async () => {
      const onnxPath = join(dir, 'fba_full.onnx');
      const exported = spawnSync(
        python,
        [join(root, 'training/export.py'), '--variant', 'full', '--random', '--seed', '0', '--out', onnxPath],
        { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } },
      );
      expect(exported.status, exported.stderr).toBe(0);
      expectParity(await runModel(onnxPath, storedInputs()), 'full');
    },
    600_000,
  );
});
