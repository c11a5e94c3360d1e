import type { StageName } from '../common/contract';

/**
 * The engine's stages as one typed chain: each stage has a name (the figures' name for it), a typed input
 * and a typed output, the next stage's input. The pipeline owns timing: stages are plain functions of
 * their input and know nothing of clocks.
 *
 * Live, every stage is a slot of a newest-wins pipeline: at most one item in flight per stage, and the
 * newest item wins. A stage that is busy keeps one waiting item; a newer arrival replaces it and the
 * replaced one is reported as dropped. Nothing queues, so a slow stage costs frames, never latency. While
 * an inference stage waits on onnxruntime's native threads, the stages after it (on the JS thread) run
 * the previous frame, which is the overlap we want.
 */
export interface Stage<In, Out> {
  readonly name: StageName;
  run(input: In): Out | Promise<Out>;
  /**
   * How the stage's time is counted; by default, the time `run` took. A stage that sets work going beside
   * the frame loop (the matte) hands back that work: its time runs until the work settles. 'none': the
   * stage had nothing to do for this item (a segmentation-only frame has no plan), so no figure is made.
   */
  timing?(output: Out): 'own' | 'none' | Promise<unknown>;
}

export type StageRecorder = (stage: StageName, ms: number) => void;

/** A typed chain of stages from In to Out, built one stage at a time so each output meets the next input. */
export class Stages<In, Out> {
  private constructor(readonly list: readonly Stage<unknown, unknown>[]) {}

  static first<I, O>(stage: Stage<I, O>): Stages<I, O> {
    return new Stages<I, O>([stage as Stage<unknown, unknown>]);
  }

  then<Next>(stage: Stage<Out, Next>): Stages<In, Next> {
    return new Stages<In, Next>([...this.list, stage as Stage<unknown, unknown>]);
  }

  /** Offline: every stage in turn on one item; resolves once every figure, a background stage's too, is in. */
  async runOnce(input: In, record: StageRecorder): Promise<Out> {
    let value: unknown = input;
    const pending: Promise<unknown>[] = [];
    for (const stage of this.list) {
      const { output, timed } = await runTimed(stage, value, record);
      value = output;
      if (timed) pending.push(timed);
    }
    await Promise.all(pending);
    return value as Out;
  }
}

/** Runs one stage and records its time as the stage says; `timed` settles once a background stage's figure is in. */
async function runTimed(stage: Stage<unknown, unknown>, input: unknown, record: StageRecorder): Promise<{ output: unknown; timed: Promise<unknown> | null }> {
  const t0 = performance.now();
  const output = await stage.run(input);
  const how = stage.timing?.(output) ?? 'own';
  if (how === 'own') {
    record(stage.name, performance.now() - t0);
    return { output, timed: null };
  }
  if (how === 'none') return { output, timed: null };
  const timed = how.then(
    () => record(stage.name, performance.now() - t0),
    () => record(stage.name, performance.now() - t0),
  );
  return { output, timed };
}

interface Slot {
  busy: boolean;
  waiting: { value: unknown } | null;
}

export interface PipelineHandlers<Out> {
  output(value: Out): void;
  dropped(value: unknown, stage: StageName): void;
  failed(error: unknown, stage: StageName): void;
}

export class LatestWinsPipeline<In, Out> {
  private readonly stages: readonly Stage<unknown, unknown>[];
  private readonly slots: Slot[];
  private idleWaiters: (() => void)[] = [];

  constructor(
    stages: Stages<In, Out>,
    private readonly handlers: PipelineHandlers<Out>,
    private readonly record: StageRecorder = () => {},
  ) {
    this.stages = stages.list;
    this.slots = this.stages.map(() => ({ busy: false, waiting: null }));
  }

  push(value: In): void {
    this.offer(0, value);
  }

  /** True when no stage runs or holds a waiting item. */
  get idle(): boolean {
    return this.slots.every((s) => !s.busy && s.waiting === null);
  }

  /** Resolves once every frame in the pipeline has come out, been dropped or failed. */
  drained(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private offer(index: number, value: unknown): void {
    const slot = this.slots[index];
    if (slot.busy) {
      if (slot.waiting) this.handlers.dropped(slot.waiting.value, this.stages[index].name);
      slot.waiting = { value };
      return;
    }
    this.run(index, value);
  }

  private run(index: number, value: unknown): void {
    const slot = this.slots[index];
    slot.busy = true;
    runTimed(this.stages[index], value, this.record).then(
      ({ output }) => {
        slot.busy = false;
        if (index + 1 < this.stages.length) this.offer(index + 1, output);
        else this.handlers.output(output as Out);
        this.next(index);
      },
      (error: unknown) => {
        slot.busy = false;
        this.handlers.failed(error, this.stages[index].name);
        this.next(index);
      },
    );
  }

  private next(index: number): void {
    const slot = this.slots[index];
    if (slot.waiting) {
      const { value } = slot.waiting;
      slot.waiting = null;
      this.run(index, value);
      return;
    }
    if (this.idleWaiters.length > 0 && this.idle) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
