import { describe, expect, it } from 'vitest';
import { LatestWinsPipeline, type Stage } from '../../src/engine/pipeline';

/** A stage whose calls resolve only when the test says so, recording what it was given. */
function gatedStage() {
  const calls: { input: unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  const stage: Stage = (input) => new Promise((resolve, reject) => calls.push({ input, resolve, reject }));
  return { stage, calls };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function collect() {
  const out: unknown[] = [];
  const dropped: [unknown, number][] = [];
  const failed: [unknown, number][] = [];
  return {
    out,
    dropped,
    failed,
    handlers: {
      output: (v: unknown) => out.push(v),
      dropped: (v: unknown, s: number) => dropped.push([v, s]),
      failed: (e: unknown, s: number) => failed.push([e, s]),
    },
  };
}

describe('LatestWinsPipeline', () => {
  it('passes a value through every stage in order', async () => {
    const c = collect();
    const p = new LatestWinsPipeline<number, string>(
      [async (x) => (x as number) + 1, async (x) => `v${x}`],
      c.handlers,
    );
    p.push(1);
    await flush();
    expect(c.out).toEqual(['v2']);
    expect(p.idle).toBe(true);
  });

  it('keeps one frame in flight and lets the newest waiting frame win', async () => {
    const a = gatedStage();
    const c = collect();
    const p = new LatestWinsPipeline<number, unknown>([a.stage], c.handlers);
    p.push(1);
    p.push(2);
    p.push(3);
    expect(a.calls.map((x) => x.input)).toEqual([1]);
    expect(c.dropped).toEqual([[2, 0]]);
    a.calls[0].resolve('one');
    await flush();
    expect(a.calls.map((x) => x.input)).toEqual([1, 3]);
    a.calls[1].resolve('three');
    await flush();
    expect(c.out).toEqual(['one', 'three']);
    expect(p.idle).toBe(true);
  });

  it('overlaps stages: stage 0 takes the next frame while stage 1 works on the previous', async () => {
    const a = gatedStage();
    const b = gatedStage();
    const c = collect();
    const p = new LatestWinsPipeline<number, unknown>([a.stage, b.stage], c.handlers);
    p.push(1);
    a.calls[0].resolve(10);
    await flush();
    p.push(2);
    expect(b.calls.map((x) => x.input)).toEqual([10]);
    expect(a.calls.map((x) => x.input)).toEqual([1, 2]);
    expect(c.dropped).toEqual([]);
  });

  it('reports a failing stage and carries on with the next frame', async () => {
    const a = gatedStage();
    const c = collect();
    const p = new LatestWinsPipeline<number, unknown>([a.stage], c.handlers);
    p.push(1);
    p.push(2);
    a.calls[0].reject(new Error('boom'));
    await flush();
    expect(c.failed).toHaveLength(1);
    expect((c.failed[0][0] as Error).message).toBe('boom');
    a.calls[1].resolve('two');
    await flush();
    expect(c.out).toEqual(['two']);
  });

  it('refuses an empty stage list', () => {
    expect(() => new LatestWinsPipeline([], collect().handlers)).toThrow(RangeError);
  });
});

describe('LatestWinsPipeline.drained', () => {
  it('resolves only once the frame in flight and the one waiting have come out', async () => {
    const a = gatedStage();
    const c = collect();
    const p = new LatestWinsPipeline<number, unknown>([a.stage], c.handlers);
    await p.drained(); // idle: at once
    p.push(1);
    p.push(2);
    let done = false;
    const drained = p.drained().then(() => {
      done = true;
    });
    a.calls[0].resolve('one');
    await flush();
    expect(done).toBe(false); // frame 2 now runs
    a.calls[1].resolve('two');
    await drained;
    expect(c.out).toEqual(['one', 'two']);
  });
});
