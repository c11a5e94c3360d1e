import { STAGE_NAMES, type StageName } from '../common/contract';

/** Where progress goes: stderr, so stdout stays free for whatever a later command pipes out. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface RenderSummary {
  frames: number;
  width: number;
  height: number;
  seconds: number;
  output: string;
  /** Median ms per frame of each engine stage that ran. */
  stagesMs: Partial<Record<StageName, number>>;
  /** Median ms per frame the render loop waited on ffmpeg for a decoded frame, and to take an encoded one. */
  decodeWaitMs: number;
  encodeWaitMs: number;
  provider: string;
}

/** `[#####-----]`; with no total (a stream of unknown length) there is no bar to draw. */
export function formatBar(done: number, total: number, width: number): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

export function formatProgress(done: number, total: number | null, fps: number): string {
  const count = total ? `${done}/${total} frames (${Math.min(100, Math.round((done / total) * 100))}%)` : `${done} frames`;
  return `${count}, ${fps.toFixed(1)} fps`;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

export function formatSummary(s: RenderSummary): string[] {
  const fps = s.seconds > 0 ? s.frames / s.seconds : 0;
  const stages = STAGE_NAMES.filter((name) => s.stagesMs[name] !== undefined).map((name) => `${name} ${ms(s.stagesMs[name] as number)}`);
  return [
    `rendered ${s.frames} frames (${s.width}x${s.height}) in ${s.seconds.toFixed(1)} s, ${fps.toFixed(1)} fps -> ${s.output}`,
    `median per frame: ${[...stages, `waiting on decode ${ms(s.decodeWaitMs)}`, `on encode ${ms(s.encodeWaitMs)}`].join(', ')} (provider ${s.provider})`,
  ];
}

/** Every this many frames a plain (non-terminal) stream gets a line when the length is unknown. */
const PLAIN_EVERY = 30;
/** Plain lines per run when the length is known: one per tenth. */
const PLAIN_STEPS = 10;

/**
 * A bar redrawn in place on a terminal; on a pipe or a log file, a plain line now and then instead of
 * a screenful of carriage returns.
 */
export class ProgressReporter {
  private done = 0;
  private ended = false;
  private lastPlainStep = 0;
  private readonly started: number;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number | null,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  frame(): void {
    this.done++;
    const fps = this.done / Math.max((this.now() - this.started) / 1000, 1e-3);
    const text = formatProgress(this.done, this.total, fps);
    if (this.stream.isTTY) {
      const bar = this.total ? `${formatBar(this.done, this.total, this.barWidth(text))} ` : '';
      // \x1b[K clears what a longer previous line left to the right.
      this.stream.write(`\r${bar}${text}\x1b[K`);
      return;
    }
    const step = this.total ? Math.floor((this.done * PLAIN_STEPS) / this.total) : Math.floor(this.done / PLAIN_EVERY);
    if (step > this.lastPlainStep) {
      this.lastPlainStep = step;
      this.stream.write(`${text}\n`);
    }
  }

  /** Ends the bar's line so what follows (the summary, an error) starts on its own. */
  end(): void {
    if (this.stream.isTTY && this.done > 0 && !this.ended) this.stream.write('\n');
    this.ended = true;
  }

  private barWidth(text: string): number {
    const columns = this.stream.columns || 80;
    return Math.max(10, Math.min(40, columns - text.length - 4));
  }
}
