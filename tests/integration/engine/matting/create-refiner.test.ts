import { existsSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it, vi } from 'vitest';
import { createRefiner } from '../../../../src/engine/matting/create-refiner';

const MODEL = 'models/fba_light.onnx';
/** onnxruntime types InferenceSession as a factory; at run time it is the class whose methods every session runs. */
const SESSION = (ort.InferenceSession as unknown as { prototype: ort.InferenceSession }).prototype;

describe.skipIf(!existsSync(MODEL))('createRefiner', () => {
  it('stops measuring for Auto once its signal is aborted, and releases the model it loaded', async () => {
    const release = vi.spyOn(SESSION, 'release');
    const run = vi.spyOn(SESSION, 'run');
    try {
      const stopping = new AbortController();
      stopping.abort();
      const made = createRefiner('light', { modelsDir: 'models', quality: 'auto', live: false, threads: 1, providers: ['cpu'], signal: stopping.signal });
      await expect(made).rejects.toMatchObject({ name: 'AbortError' });
      // The provider's warm-up run, and no measuring run after it.
      expect(run).toHaveBeenCalledTimes(1);
      expect(release).toHaveBeenCalledTimes(1);
    } finally {
      release.mockRestore();
      run.mockRestore();
    }
  });
});
