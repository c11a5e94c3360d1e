import { availableParallelism } from 'node:os';
import {
  type Background,
  type EngineConfig,
  type EngineStats,
  type MattingMode,
  type Quality,
  type StageName,
} from '../common/contract';
import { createBackgroundRenderer, type BackgroundRenderer, type VideoSource } from './backgrounds';
import { EngineFailure } from './failure';
import { floatImage, rgbaImage, type FloatImage, type Matte, type RgbaImage } from '../frame';
import { LatestWinsPipeline } from './pipeline';
import { FbaRefiner } from './fba-refiner';
import { createRefiner, maskRefiner, type Refiner } from './refiner';
import { createSegmenter, type Segmenter } from './stages/segmenter';
import { composite } from './stages/compositor';
import { median, StatsWindow } from './stats';

export interface SessionOptions {
  modelsDir: string;
  config: EngineConfig;
  /** Decodes an image file to RGBA; injected so the engine does not depend on how files are read. */
  loadImage: (path: string) => Promise<RgbaImage>;
  /** Opens a background video that plays in a loop; injected for the same reason. */
  loadVideo?: (path: string) => Promise<VideoSource>;
  /** Intra-op threads for the segmentation session. */
  threads?: number;
  /** Intra-op threads for the matting session. */
  mattingThreads?: number;
  providers?: string[];
  /** Live sessions mat beside the frame loop; offline ones mat every frame before compositing it. */
  live?: boolean;
  /** For evaluation: the matte's weight against the segmentation in the band (MATTE_WEIGHT by default). */
  matteWeight?: number;
}

export interface LiveFrame {
  id: number;
  timestamp: number;
  image: RgbaImage;
}

export interface LiveHandlers {
  output(frame: LiveFrame): void;
  error(error: EngineFailure): void;
}

export interface SessionSummary {
  frames: number;
  stagesMs: Partial<Record<StageName, number>>;
  provider: string;
  matting: MattingMode;
}

type Timer = <T>(stage: StageName, work: () => T) => T;
type AsyncTimer = <T>(stage: StageName, work: () => Promise<T>) => Promise<T>;

interface Segmented {
  frame: LiveFrame;
  prob: FloatImage;
}

/** Picks the MediaPipe model whose input shape wastes least of the frame: landscape for wide frames. */
export function modelFor(width: number, height: number): 'general' | 'landscape' {
  return width / height > 1.3 ? 'landscape' : 'general';
}

/**
 * Owns one engine pipeline: segmentation, the matting boundary, background and compositing, plus the
 * frame policy and the figures. `render` processes every frame (offline); `push` is the live path where
 * the newest frame wins and busy stages drop.
 */
export class Session {
  private readonly segmenters = new Map<string, Segmenter>();
  private background: BackgroundRenderer;
  private backgroundSpec: Background;
  private refiner: Refiner;
  private quality: Quality;
  private readonly stats = new StatsWindow();
  private readonly offlineTimes = new Map<StageName, number[]>();
  private offlineFrames = 0;
  private live: LatestWinsPipeline<LiveFrame, LiveFrame> | null = null;
  private provider = 'cpu';
  private closing = false;

  private constructor(
    private readonly options: SessionOptions,
    background: { spec: Background; renderer: BackgroundRenderer },
    refiner: Refiner,
  ) {
    this.backgroundSpec = background.spec;
    this.background = background.renderer;
    this.refiner = refiner;
    this.quality = options.config.quality;
  }

  /** Why the matting the config asked for is not running, if it is not. */
  mattingIssue: string | null = null;

  static async create(options: SessionOptions): Promise<Session> {
    const background = await loadBackground(options.config.background, options);
    const session = new Session(options, background, maskRefiner());
    await session.setMatting(options.config.matting);
    return session;
  }

  get backgroundSetting(): Background {
    return this.backgroundSpec;
  }

  /** Switches the background from the next frame on. An unreadable image leaves the previous one. */
  async setBackground(spec: Background): Promise<void> {
    const next = await loadBackground(spec, this.options);
    const previous = this.background;
    this.backgroundSpec = next.spec;
    this.background = next.renderer;
    await previous.close?.();
  }

  /**
   * Switches matting. When the model cannot run, the session carries on with segmentation only and
   * `mattingIssue` says why; the returned failure lets a caller tell the user.
   */
  async setMatting(mode: MattingMode): Promise<EngineFailure | null> {
    let next: Refiner;
    let failure: EngineFailure | null = null;
    try {
      next = await createRefiner(mode, {
        modelsDir: this.options.modelsDir,
        quality: this.quality,
        live: this.options.live ?? false,
        threads: this.options.mattingThreads ?? defaultThreads(this.options.live),
        providers: this.options.providers,
        onMatte: () => this.stats.matted(),
        matteWeight: this.options.matteWeight,
      });
      this.mattingIssue = null;
    } catch (error) {
      failure = EngineFailure.from(error);
      if (failure.code !== 'model-load-failed') failure = new EngineFailure('matting-unavailable', failure.message);
      this.mattingIssue = failure.message;
      next = maskRefiner();
    }
    const previous = this.refiner;
    this.refiner = next;
    await previous.dispose();
    return failure;
  }

  async setQuality(quality: Quality): Promise<EngineFailure | null> {
    this.quality = quality;
    if (this.refiner instanceof FbaRefiner && quality !== 'auto') {
      this.refiner.quality = quality;
      return null;
    }
    return this.refiner.mode === 'off' ? null : this.setMatting(this.refiner.mode);
  }

  /** Offline: runs every stage on this frame and returns the composite. */
  async render(frame: RgbaImage): Promise<{ image: RgbaImage; stagesMs: Partial<Record<StageName, number>> }> {
    const stagesMs: Partial<Record<StageName, number>> = {};
    const record = (stage: StageName, ms: number) => {
      stagesMs[stage] = (stagesMs[stage] ?? 0) + ms;
    };
    const prob = await timedAsync(record)('segment', () => this.segment(frame));
    await this.background.advance?.();
    const image = await this.finish(frame, prob, record);
    for (const [stage, ms] of Object.entries(stagesMs) as [StageName, number][]) {
      let list = this.offlineTimes.get(stage);
      if (!list) this.offlineTimes.set(stage, (list = []));
      list.push(ms);
    }
    this.offlineFrames++;
    return { image, stagesMs };
  }

  /** Offline: the full-resolution matte of this frame, for evaluation and `backdrop matte`; the caller's to keep. */
  async matte(frame: RgbaImage): Promise<Matte> {
    const noop = () => {};
    const prob = await this.segment(frame);
    const m = await this.refiner.refine(frame, prob, timedAsync(noop), timed(noop));
    // The refiner reuses its planes for the next frame: hand out copies.
    return {
      alpha: floatImage(m.alpha.width, m.alpha.height, m.alpha.data.slice()),
      foreground: m.foreground && rgbaImage(m.foreground.width, m.foreground.height, m.foreground.data.slice()),
      ...(m.runs ? { runs: m.runs } : {}),
    };
  }

  /** Live: hands a frame to the pipeline; it may be dropped if a newer one arrives before a stage frees. */
  push(frame: LiveFrame, handlers: LiveHandlers): void {
    if (this.closing) return;
    this.stats.arrived();
    if (!this.live) {
      const record = (stage: StageName, ms: number) => this.stats.stage(stage, ms);
      this.live = new LatestWinsPipeline<LiveFrame, LiveFrame>(
        [
          async (input) => {
            const f = input as LiveFrame;
            return { frame: f, prob: await timedAsync(record)('segment', () => this.segment(f.image)) } satisfies Segmented;
          },
          async (input) => {
            const { frame, prob } = input as Segmented;
            return { ...frame, image: await this.finish(frame.image, prob, record) };
          },
        ],
        {
          output: (out) => {
            this.stats.output(out.timestamp);
            handlers.output(out);
          },
          dropped: () => {
            this.stats.dropped++;
          },
          failed: (error) => {
            this.stats.dropped++;
            handlers.error(EngineFailure.from(error));
          },
        },
      );
    }
    this.live.push(frame);
  }

  liveStats(): EngineStats {
    return {
      ...this.stats.snapshot(),
      provider: this.providerLabel(),
      matting: this.refiner.mode,
      quality: this.refiner instanceof FbaRefiner && this.quality === 'auto' ? this.refiner.quality : this.quality,
      threads: this.threads(),
      ...(this.mattingIssue ? { notice: `segmentation only: ${this.mattingIssue}` } : {}),
    };
  }

  /** Intra-op threads each model session was given; matting's is 0 while it is off. */
  threads(): { segment: number; matte: number } {
    return {
      segment: this.options.threads ?? defaultThreads(this.options.live),
      matte: this.refiner.mode === 'off' ? 0 : (this.options.mattingThreads ?? defaultThreads(this.options.live)),
    };
  }

  /** Segmentation's provider, and matting's where it differs. */
  private providerLabel(): string {
    if (this.refiner instanceof FbaRefiner && this.refiner.provider !== this.provider) {
      return `${this.provider} (segment), ${this.refiner.provider} (matte)`;
    }
    return this.provider;
  }

  summary(): SessionSummary {
    const stagesMs: Partial<Record<StageName, number>> = {};
    for (const [stage, list] of this.offlineTimes) stagesMs[stage] = median(list);
    return { frames: this.offlineFrames, stagesMs, provider: this.provider, matting: this.refiner.mode };
  }

  async close(): Promise<void> {
    // Releasing a model while onnxruntime still runs it aborts the process: let the frames in flight out first.
    this.closing = true;
    await this.live?.drained();
    await Promise.all([...this.segmenters.values()].map((s) => s.dispose()));
    this.segmenters.clear();
    await this.refiner.dispose();
    await this.background.close?.();
  }

  private async segment(frame: RgbaImage): Promise<FloatImage> {
    const model = modelFor(frame.width, frame.height);
    let segmenter = this.segmenters.get(model);
    if (!segmenter) {
      try {
        segmenter = await createSegmenter({
          model,
          modelsDir: this.options.modelsDir,
          threads: this.options.threads ?? defaultThreads(this.options.live),
          providers: this.options.providers,
        });
      } catch (error) {
        throw new EngineFailure('model-load-failed', `segmentation model could not be loaded: ${messageOf(error)}`);
      }
      this.segmenters.set(model, segmenter);
      this.provider = segmenter.provider;
    }
    return segmenter.segment(frame);
  }

  private async finish(frame: RgbaImage, prob: FloatImage, record: (stage: StageName, ms: number) => void): Promise<RgbaImage> {
    const refiner = this.refiner;
    const matte: Matte = await refiner.refine(frame, prob, timedAsync(record), timed(record));
    if (refiner instanceof FbaRefiner && refiner.lastError && this.refiner === refiner) {
      // A matting model that loads but fails on a run: carry on with segmentation only and say so.
      const reason = EngineFailure.from(refiner.lastError).message;
      this.refiner = maskRefiner();
      this.mattingIssue = reason;
      void refiner.dispose().catch(() => {});
      throw new EngineFailure('matting-unavailable', `matting stopped, segmentation only from now on: ${reason}`);
    }
    return timed(record)('composite', () => {
      const bg = this.background.render(frame, matte.alpha);
      const out = new Uint8Array(frame.width * frame.height * 4);
      composite(frame, matte, bg, out);
      return { width: frame.width, height: frame.height, data: out };
    });
  }
}

/**
 * Offline, every core serves the one frame in hand. Live, segmentation (on the engine's thread) and
 * matting (on its own) get one thread each: on the two-core machine the budget is set for, they then
 * overlap on the two cores instead of fighting over both, and the frame loop never waits for a matte.
 */
function defaultThreads(live: boolean | undefined): number {
  return live ? 1 : availableParallelism();
}

function timed(record: (stage: StageName, ms: number) => void): Timer {
  return (stage, work) => {
    const t0 = performance.now();
    try {
      return work();
    } finally {
      record(stage, performance.now() - t0);
    }
  };
}

function timedAsync(record: (stage: StageName, ms: number) => void): AsyncTimer {
  return async (stage, work) => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      record(stage, performance.now() - t0);
    }
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function loadBackground(
  spec: Background,
  loaders: Pick<SessionOptions, 'loadImage' | 'loadVideo'>,
): Promise<{ spec: Background; renderer: BackgroundRenderer }> {
  let image: RgbaImage | undefined;
  let video: VideoSource | undefined;
  try {
    if (spec.kind === 'image') image = await loaders.loadImage(spec.path);
    if (spec.kind === 'video') {
      if (!loaders.loadVideo) throw new Error('this engine cannot play videos');
      video = await loaders.loadVideo(spec.path);
    }
  } catch (error) {
    const kind = spec.kind === 'video' ? 'video' : 'image';
    const path = spec.kind === 'image' || spec.kind === 'video' ? spec.path : '';
    throw new EngineFailure('background-unreadable', `background ${kind} ${path} could not be read: ${messageOf(error)}`);
  }
  return { spec, renderer: createBackgroundRenderer(spec, image, video) };
}

export type { Timer, AsyncTimer };
