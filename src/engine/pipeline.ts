/**
 * The live frame policy: at most one item in flight per stage, and the newest item wins. A stage that is
 * busy keeps one waiting item; a newer arrival replaces it and the replaced one is reported as dropped.
 * Nothing queues, so a slow stage costs frames, never latency.
 *
 * Stages are async functions; while an inference stage waits on onnxruntime's native threads, the next
 * stage (compositing on the JS thread) runs the previous frame, which is the overlap we want.
 */
export type Stage = (input: unknown) => Promise<unknown>;

interface Slot {
  busy: boolean;
  waiting: { value: unknown } | null;
}

export interface PipelineHandlers<Out> {
  output(value: Out): void;
  dropped(value: unknown, stage: number): void;
  failed(error: unknown, stage: number): void;
}

export class LatestWinsPipeline<In, Out> {
  private readonly slots: Slot[];
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly stages: readonly Stage[],
    private readonly handlers: PipelineHandlers<Out>,
  ) {
    if (stages.length === 0) throw new RangeError('a pipeline needs at least one stage');
    this.slots = stages.map(() => ({ busy: false, waiting: null }));
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
      if (slot.waiting) this.handlers.dropped(slot.waiting.value, index);
      slot.waiting = { value };
      return;
    }
    this.run(index, value);
  }

  private run(index: number, value: unknown): void {
    const slot = this.slots[index];
    slot.busy = true;
    this.stages[index](value).then(
      (result) => {
        slot.busy = false;
        if (index + 1 < this.stages.length) this.offer(index + 1, result);
        else this.handlers.output(result as Out);
        this.next(index);
      },
      (error: unknown) => {
        slot.busy = false;
        this.handlers.failed(error, index);
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
