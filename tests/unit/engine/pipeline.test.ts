import { describe, expect, it } from 'vitest';
import type { StageName } from '../../../src/common/contract';
import { LatestWinsPipeline, Stages, type Stage } from '../../../src/engine/pipeline';

/** A stage whose calls resolve only when the test says so, recording what it was given. */
function gatedStage(name: StageName = 'segment') {
  const calls: { input: unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  const stage: Stage<unknown, unknown> = { name, run: (input) => new Promise((resolve, reject) => calls.push({ input, resolve, reject })) };
  return { stage, calls };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function collect() {
  const out: unknown[] = [];
  const dropped: [unknown, StageName][] = [];
  const failed: [unknown, StageName][] = [];
  return {
    out,
    dropped,
    failed,
    handlers: {
      output: (v: unknown) => out.push(v),
      dropped: (v: unknown, s: StageName) => dropped.push([v, s]),
      failed: (e: unknown, s: StageName) => failed.push([e, s]),
    },
  };
}

describe('LatestWinsPipeline', () => {
  it('passes a value through every stage in order', async () => {
    const c = collect();
    const p = new LatestWinsPipeline<number, string>(
      Stages.first<number, number>({ name: 'segment', run: async (x) => x + 1 }).then({ name: 'composite', run: async (x) => `v${x}` }),
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
    const p = new LatestWinsPipeline<number, unknown>(Stages.first<number, unknown>(a.stage), c.handlers);
    p.push(1);
    p.push(2);
    p.push(3);
    expect(a.calls.map((x) => x.input)).toEqual([1]);
    expect(c.dropped).toEqual([[2, 'segment']]);
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
    const p = new LatestWinsPipeline<number, unknown>(Stages.first<number, unknown>(a.stage).then(b.stage), c.handlers);
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
    const p = new LatestWinsPipeline<number, unknown>(Stages.first<number, unknown>(a.stage), c.handlers);
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

  it('times each stage as it says: its own run, nothing, or the work it left running', async () => {
    const times: [StageName, number][] = [];
    let finish: () => void = () => {};
    const background = new Promise<void>((resolve) => (finish = resolve));
    const chain = Stages.first<number, number>({ name: 'segment', run: (x) => x })
      .then({ name: 'plan', run: (x) => x, timing: () => 'none' })
      .then({ name: 'matte', run: (x) => x, timing: () => background });
    const c = collect();
    const p = new LatestWinsPipeline(chain, c.handlers, (stage, ms) => times.push([stage, ms]));
    p.push(1);
    await flush();
    expect(c.out).toEqual([1]);
    expect(times.map(([s]) => s)).toEqual(['segment']);
    await new Promise((r) => setTimeout(r, 20));
    finish();
    await flush();
    expect(times.map(([s]) => s)).toEqual(['segment', 'matte']);
    expect(times[1][1]).toBeGreaterThanOrEqual(15);
  });
});

describe('LatestWinsPipeline.drained', () => {
  it('resolves only once the frame in flight and the one waiting have come out', async () => {
    const a = gatedStage();
    const c = collect();
    const p = new LatestWinsPipeline<number, unknown>(Stages.first<number, unknown>(a.stage), c.handlers);
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
