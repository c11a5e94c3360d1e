import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { convertTfliteToOnnx } from '../../../../tools/tflite/convert';
import { GuardedSession, SessionReleasedError, type RunnableSession } from '../../../../src/engine/models/guarded';
import { BUILTIN, tfliteModel } from '../../../fixtures/tflite/tflite-builder';

const dir = mkdtempSync(join(tmpdir(), 'backdrop-guarded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A session whose runs finish when the test says, and which records what happened in which order. */
function fakeSession() {
  const events: string[] = [];
  const finishers: ((fail: boolean) => void)[] = [];
  let releases = 0;
  const session: RunnableSession = {
    run: (() =>
      new Promise((resolve, reject) => {
        const n = finishers.length;
        events.push(`run ${n} started`);
        finishers.push((fail) => {
          events.push(`run ${n} ${fail ? 'failed' : 'done'}`);
          if (fail) reject(new Error('run failed'));
          else resolve({});
        });
      })) as RunnableSession['run'],
    release: async () => {
      releases++;
      events.push('released');
    },
  };
  return { session, events, finish: (n: number, fail = false) => finishers[n](fail), releases: () => releases };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GuardedSession', () => {
  it('releases only after every run in flight has settled, once however often asked', async () => {
    const fake = fakeSession();
    const guarded = new GuardedSession(fake.session);
    const first = guarded.run({});
    const second = guarded.run({});
    const released = guarded.release();
    const again = guarded.release();
    await turn();
    expect(fake.events).toEqual(['run 0 started', 'run 1 started']);
    fake.finish(1, true);
    await turn();
    expect(fake.events).not.toContain('released');
    fake.finish(0);
    await Promise.all([released, again, first, second.catch(() => {})]);
    expect(fake.events).toEqual(['run 0 started', 'run 1 started', 'run 1 failed', 'run 0 done', 'released']);
    expect(fake.releases()).toBe(1);
    await expect(second).rejects.toThrow('run failed');
  });

  it('refuses a run asked for once release has begun, without reaching the session', async () => {
    const fake = fakeSession();
    const guarded = new GuardedSession(fake.session);
    const released = guarded.release();
    await expect(guarded.run({})).rejects.toBeInstanceOf(SessionReleasedError);
    await released;
    expect(fake.events).toEqual(['released']);
  });

  it('lets a real onnxruntime run asked for just before the release finish (unguarded, it finds the session gone)', async () => {
    const spec = { tensors: [{ shape: [1, 2, 2, 1] }, { shape: [1, 2, 2, 1] }], operators: [{ builtin: BUILTIN.RELU, inputs: [0], outputs: [1] }], inputs: [0], outputs: [1] };
    const path = join(dir, 'relu.onnx');
    writeFileSync(path, convertTfliteToOnnx(tfliteModel(spec), 'relu.tflite').onnx);
    const feeds = (session: ort.InferenceSession) => {
      const meta = session.inputMetadata[0];
      const dims = meta.isTensor ? meta.shape.map((d) => (typeof d === 'number' ? d : 1)) : [];
      return { [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => i - 1.5), dims) };
    };

    const bare = await ort.InferenceSession.create(path);
    const bareRun = bare.run(feeds(bare));
    await bare.release();
    await expect(bareRun).rejects.toThrow(/disposed/);

    const session = await ort.InferenceSession.create(path);
    const guarded = new GuardedSession(session);
    const run = guarded.run(feeds(session));
    await guarded.release();
    const out = await run;
    expect(Array.from(out[session.outputNames[0]].data as Float32Array)).toEqual([0, 0, 0.5, 1.5]);
  });
});
