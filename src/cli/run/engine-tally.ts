import { parseFromEngine, type ContractError, type EngineStats, type FromEngine } from '../../common/contract';
import type { RunOutputs } from './outputs';

/** The sound is delayed by the engine's latency, within reason. */
const MAX_AUDIO_DELAY_MS = 2000;

/** What the run learns from the engine's messages; composited frames go straight on to the outputs. */
export class EngineTally {
  readonly stats: EngineStats[] = [];
  /** Camera read to composited frame back here, ms. */
  readonly latencies: number[] = [];
  framesOut = 0;
  /** performance.now() (ms since this process started) when the first composited frame arrived; null before. */
  firstFrameAt: number | null = null;
  private readonly errors = new Set<string>();
  private drainWaiter: (() => void) | null = null;
  private framesIn = 0;

  constructor(
    private readonly outputs: RunOutputs,
    private readonly say: (line: string) => void,
  ) {}

  handle(data: unknown): void {
    let msg: FromEngine;
    try {
      msg = parseFromEngine(data);
    } catch (error) {
      this.once(`the engine sent a malformed message: ${(error as ContractError).message}`);
      return;
    }
    if (msg.type === 'output') {
      this.framesOut++;
      this.firstFrameAt ??= performance.now();
      const latency = performance.timeOrigin + performance.now() - msg.timestamp;
      this.latencies.push(latency);
      // Recording and streaming start with the first composited frame (this one), the sound delayed by its latency.
      this.outputs.startLate(Math.min(latency, MAX_AUDIO_DELAY_MS));
      this.outputs.offer({ width: msg.width, height: msg.height, data: new Uint8Array(msg.pixels) });
    } else if (msg.type === 'stats') {
      this.stats.push(msg.stats);
    } else if (msg.type === 'error') {
      this.once(`engine: ${msg.error.message}`);
    }
    if (this.drainWaiter && this.accountedFor()) this.drainWaiter();
  }

  /**
   * Resolves once every camera frame has come out or been dropped (by the engine's own count), or after
   * `timeoutMs`. The engine must not be stopped mid-inference: tearing down a session whose model is
   * still running aborts the whole process from inside onnxruntime.
   */
  drained(framesIn: number, timeoutMs: number): Promise<void> {
    this.framesIn = framesIn;
    if (this.accountedFor()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.drainWaiter = null;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.drainWaiter = done;
    });
  }

  private accountedFor(): boolean {
    return this.framesOut + (this.stats.at(-1)?.dropped ?? 0) >= this.framesIn;
  }

  /** The engine repeats an error for every frame it hits; the user needs to read it once. */
  private once(line: string): void {
    if (this.errors.has(line)) return;
    this.errors.add(line);
    this.say(line);
  }
}
