import { availableParallelism } from 'node:os';
import {
  type Background,
  type EngineConfig,
  type EngineStats,
  type FaceModel,
  type MattingMode,
  type PeopleMode,
  type Quality,
  type StageName,
  type StartupFigures,
} from '../common/contract';
import { floatImage, rgbaImage, type FloatImage, type Matte, type RgbaImage, type VideoSource } from '../frame';
import { createBackgroundRenderer, type BackgroundRenderer } from './backgrounds';
import { EngineFailure } from '../common/failure';
import { createRefiner } from './matting/create-refiner';
import { maskRefiner, type Refiner } from './matting/refiner';
import { LatestWinsPipeline, Stages, type StageRecorder } from './pipeline';
import type { Plan } from './stages/plan';
import { composite } from './stages/composite';
import { createFaceDetector, type FaceDetector } from './faces/detector';
import { createPeopleStage, type PeopleStage } from './faces/people';
import { DEFAULT_CHANGE, frameChange, personRegion } from './pixels/change';
import { describeProviders } from './models/providers';
import { createSegmenter, modelFor, type SegmentationModel, type Segmenter } from './stages/segment';
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
  /** Where Auto's measurements are kept between starts; without it Auto measures at every start. */
  cacheDir?: string;
}

export interface LiveFrame {
  id: number;
  timestamp: number;
  image: RgbaImage;
  /** Composited from the last segmentation and matte: the picture had barely changed since the frame they were made of. */
  reused?: boolean;
  /**
   * The engine owns the image's pixels (they were transferred to it and nothing else reads them), so the
   * composite is written over them: a live 1080p session would otherwise allocate 8 MB a frame, which the
   * garbage collector returns late enough to hold a hundred MB of dead frames.
   */
  owned?: boolean;
}

export interface LiveHandlers {
  output(frame: LiveFrame): void;
  error(error: EngineFailure): void;
}

/**
 * The segmentation model loaded before the first frame: every capture size the app offers is 16:9
 * (contract RESOLUTIONS), which modelFor maps to 'landscape'. Another shape loads its model at its first frame.
 */
const PRELOADED_MODEL = modelFor(16, 9);

export interface SessionSummary {
  frames: number;
  stagesMs: Partial<Record<StageName, number>>;
  provider: string;
  matting: MattingMode;
}

/**
 * A still scene is still segmented and matted at least this often (frames): the temporal smoothing keeps
 * settling, and a change that slipped under the thresholds does not last.
 */
const MAX_REUSED = 15;

/** What travels between stages: the frame, and what each stage added. One refiner serves the frame throughout. */
interface Segmented {
  frame: LiveFrame;
  prob: FloatImage;
  /** The 'people' stage ran (so it makes a figure). */
  peopleKept?: boolean;
  /** The picture barely changed since the last frame segmented: `prob` is that frame's, and so is what follows. */
  unchanged?: boolean;
}
interface Smoothed extends Segmented {
  refiner: Refiner;
  /** On an unchanged frame, the last processed frame's plan. */
  reusedPlan?: Plan | null;
}
interface Planned extends Smoothed {
  plan: Plan | null;
}
interface Matted extends Planned {
  /** The matte this frame set going, if it did; live, it finishes beside the frame loop. */
  running: Promise<void> | null;
}
interface Upsampled {
  frame: LiveFrame;
  matte: Matte;
}

/**
 * Owns one engine pipeline: segmentation, the matting boundary, background and compositing, plus the
 * frame policy and the figures. `render` processes every frame (offline); `push` is the live path where
 * the newest frame wins and busy stages drop. Both run the same typed stages (`stages()`), timed by the
 * pipeline.
 */
export class Session {
  private readonly segmenters = new Map<string, Promise<Segmenter>>();
  private background: BackgroundRenderer;
  private backgroundSpec: Background;
  private refiner: Refiner;
  private quality: Quality;
  private readonly stats = new StatsWindow();
  private readonly offlineTimes = new Map<StageName, number[]>();
  private offlineFrames = 0;
  /** Every stage but compositing: what `matte` runs. */
  private readonly matting: Stages<LiveFrame, Upsampled>;
  private readonly chain: Stages<LiveFrame, LiveFrame>;
  private live: LatestWinsPipeline<LiveFrame, LiveFrame> | null = null;
  private provider = 'cpu';
  private closing = false;
  private closed: Promise<void> | null = null;
  /** Cuts short what only start-up needs (Auto's measuring) when the session closes before it is done. */
  private readonly stopping = new AbortController();
  private peopleMode: PeopleMode;
  private faceModel: FaceModel;
  /**
   * Each made at the first frame that needs it, and kept while the session lives: switching back and
   * forth costs no reload, and a frame still running on the one switched from is never left without it.
   */
  private readonly faceDetectors = new Map<FaceModel, FaceDetector>();
  /** Made afresh each time 'main' or 'pick' mode starts or the face model changes, so no tracks from before carry over. */
  private people: PeopleStage | null = null;
  /** Why 'main' mode keeps everyone (the face detector would not load), if it does. */
  private peopleIssue: string | null = null;
  /** The last frame found no face on anyone, so 'main' kept the largest person. */
  private peopleFallback = false;
  /** Matting switches one at a time, in the order asked for; the first is the load at start. */
  private mattingChange: Promise<unknown> = Promise.resolve();
  private readonly startup: StartupFigures = { segmenterMs: null, mattingMs: null, autoMs: null, autoCached: false, firstFrameMs: null, warming: false };
  private readonly startedAt = performance.now();
  /** The last frame segmented, for telling whether the next one changed; null makes the next frame processed. */
  private processed: { segmenter: Segmenter; refiner: Refiner; input: Float32Array; region: Uint8Array; prob: FloatImage; reused: number } | null = null;
  /** The smoothed probability and plan of the last frame processed, and whether a matte of it started. */
  private lastPlanned: (Planned & { matted: boolean }) | null = null;

  private constructor(
    private readonly options: SessionOptions,
    background: { spec: Background; renderer: BackgroundRenderer },
    refiner: Refiner,
  ) {
    this.backgroundSpec = background.spec;
    this.background = background.renderer;
    this.refiner = refiner;
    this.quality = options.config.quality;
    this.peopleMode = options.config.people ?? 'all';
    this.faceModel = options.config.faceModel ?? 'short';
    this.matting = this.mattingStages();
    this.chain = this.matting.then<LiveFrame>({
      name: 'composite',
      run: ({ frame, matte }) => {
        const { image } = frame;
        const bg = this.background.renderStretched?.(image, matte.alpha) ?? this.background.render(image, matte.alpha);
        const out = frame.owned ? image.data : new Uint8Array(image.width * image.height * 4);
        composite(image, matte, bg, out);
        return { ...frame, image: { width: image.width, height: image.height, data: out } };
      },
    });
  }

  /** Why the matting the config asked for is not running, if it is not. */
  mattingIssue: string | null = null;

  /** What runs segmentation and why the providers before it did not: 'cpu (CUDA: libraries not installed)'. */
  providerNote = 'cpu';

  /**
   * Settles once the matting the config asked for runs, or with the failure that left the session on
   * segmentation only. Offline it has settled by the time `create` resolves.
   */
  mattingLoaded: Promise<EngineFailure | null> = Promise.resolve(null);

  /**
   * Background, segmenter and matting load side by side. Offline, `create` waits for all three. Live, it
   * resolves once the background and the segmenter are in: the first frames are composited with
   * segmentation only while the matting model loads and warms up on its thread (`mattingLoaded`).
   */
  static async create(options: SessionOptions): Promise<Session> {
    const segmenter = openSegmenter(PRELOADED_MODEL, options);
    segmenter.catch(() => {});
    let background: Awaited<ReturnType<typeof loadBackground>>;
    try {
      background = await loadBackground(options.config.background, options);
    } catch (error) {
      await segmenter.then((s) => s.dispose()).catch(() => {});
      throw error;
    }
    const session = new Session(options, background, maskRefiner());
    session.segmenters.set(PRELOADED_MODEL, segmenter);
    session.startup.warming = options.config.matting !== 'off';
    session.mattingLoaded = session.setMatting(options.config.matting).finally(() => {
      session.startup.warming = false;
    });
    try {
      await session.segmenterFor(PRELOADED_MODEL);
    } catch (error) {
      await session.close();
      throw error;
    }
    if (!options.live) await session.mattingLoaded;
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
  setMatting(mode: MattingMode): Promise<EngineFailure | null> {
    const change = this.mattingChange.then(() => this.switchMatting(mode));
    this.mattingChange = change.catch(() => {});
    return change;
  }

  private async switchMatting(mode: MattingMode): Promise<EngineFailure | null> {
    let next: Refiner;
    let failure: EngineFailure | null = null;
    try {
      const created = await createRefiner(mode, {
        modelsDir: this.options.modelsDir,
        quality: this.quality,
        live: this.options.live ?? false,
        threads: this.options.mattingThreads ?? defaultThreads(this.options.live),
        providers: this.options.providers,
        onMatte: () => this.stats.matted(),
        matteWeight: this.options.matteWeight,
        cacheDir: this.options.cacheDir,
        signal: this.stopping.signal,
      });
      next = created.refiner;
      if (this.startup.mattingMs === null && mode !== 'off') {
        this.startup.mattingMs = performance.now() - this.startedAt;
        this.startup.autoMs = created.autoMs;
        this.startup.autoCached = created.autoCached;
      }
      this.mattingIssue = null;
    } catch (error) {
      failure = EngineFailure.from(error);
      if (failure.code !== 'model-load-failed') failure = new EngineFailure('matting-unavailable', failure.message);
      this.mattingIssue = failure.message;
      next = maskRefiner();
    }
    if (this.closing) {
      await next.dispose();
      return failure;
    }
    const previous = this.refiner;
    this.refiner = next;
    await previous.dispose();
    return failure;
  }

  /** 'pick' mode: picks or drops the person at (x, y), normalised to the frame, in the last frame seen. */
  pickPerson(x: number, y: number): void {
    if (this.peopleMode !== 'pick') return;
    this.people?.pickAt(x, y);
    this.processed = null;
  }

  /** Switches who stays in the picture from the next frame on. */
  setPeople(mode: PeopleMode): void {
    if (mode === this.peopleMode) return;
    this.peopleMode = mode;
    this.restartPeople();
  }

  /** Switches the face detector from the next frame on; one that would not load is tried again. */
  setFaceModel(model: FaceModel): void {
    if (model === this.faceModel) return;
    this.faceModel = model;
    this.peopleIssue = null;
    this.restartPeople();
  }

  /** Who is kept is worked out anew from the next frame, which is processed even if the picture stood still. */
  private restartPeople(): void {
    this.people = null;
    this.peopleFallback = false;
    this.processed = null;
  }

  async setQuality(quality: Quality): Promise<EngineFailure | null> {
    this.quality = quality;
    this.processed = null;
    if (this.refiner.setQuality(quality)) return null;
    return this.setMatting(this.refiner.describe().mode);
  }

  /** Offline: runs every stage on this frame and returns the composite. */
  async render(frame: RgbaImage): Promise<{ image: RgbaImage; stagesMs: Partial<Record<StageName, number>> }> {
    const stagesMs: Partial<Record<StageName, number>> = {};
    const record: StageRecorder = (stage, ms) => {
      stagesMs[stage] = (stagesMs[stage] ?? 0) + ms;
    };
    await this.background.advance?.();
    const out = await this.chain.runOnce({ id: this.offlineFrames, timestamp: 0, image: frame }, record);
    for (const [stage, ms] of Object.entries(stagesMs) as [StageName, number][]) {
      let list = this.offlineTimes.get(stage);
      if (!list) this.offlineTimes.set(stage, (list = []));
      list.push(ms);
    }
    this.offlineFrames++;
    return { image: out.image, stagesMs };
  }

  /** Offline: the full-resolution matte of this frame, for evaluation and `backdrop matte`; the caller's to keep. */
  async matte(frame: RgbaImage): Promise<Matte> {
    const { matte: m } = await this.matting.runOnce({ id: this.offlineFrames, timestamp: 0, image: frame }, () => {});
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
    this.live ??= new LatestWinsPipeline(
      this.chain,
      {
        output: (out) => {
          this.stats.output(out.timestamp, out.reused);
          this.startup.firstFrameMs ??= performance.now() - this.startedAt;
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
      (stage, ms) => this.stats.stage(stage, ms),
    );
    this.live.push(frame);
  }

  liveStats(): EngineStats {
    const info = this.refiner.describe();
    return {
      ...this.stats.snapshot(),
      provider: this.providerLabel(),
      matting: info.mode,
      quality: this.quality === 'auto' ? (info.quality ?? this.quality) : this.quality,
      threads: this.threads(),
      startup: { ...this.startup },
      ...(this.notices().length > 0 ? { notice: this.notices().join('; ') } : {}),
    };
  }

  private notices(): string[] {
    const notices: string[] = [];
    if (this.mattingIssue) notices.push(`segmentation only: ${this.mattingIssue}`);
    if (this.peopleIssue) notices.push(`everyone stays: ${this.peopleIssue}`);
    else if (this.peopleFallback) notices.push('only me: no face found, keeping the largest person');
    return notices;
  }

  /** Intra-op threads each model session was given; matting's is 0 while it is off. */
  threads(): { segment: number; matte: number } {
    return {
      segment: this.options.threads ?? defaultThreads(this.options.live),
      matte: this.refiner.describe().mode === 'off' ? 0 : (this.options.mattingThreads ?? defaultThreads(this.options.live)),
    };
  }

  /** Segmentation's provider, and matting's where it differs. */
  private providerLabel(): string {
    const matting = this.refiner.describe().provider;
    if (matting !== null && matting !== this.provider) return `${this.provider} (segment), ${matting} (matte)`;
    return this.provider;
  }

  summary(): SessionSummary {
    const stagesMs: Partial<Record<StageName, number>> = {};
    for (const [stage, list] of this.offlineTimes) stagesMs[stage] = median(list);
    return { frames: this.offlineFrames, stagesMs, provider: this.provider, matting: this.refiner.describe().mode };
  }

  /** Releases every model once their work in flight is done; every call waits for the one release. */
  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    // Releasing a model while onnxruntime still runs it aborts the process: let the frames in flight out first.
    this.closing = true;
    this.stopping.abort();
    await this.live?.drained();
    await this.mattingChange;
    await Promise.all([...this.segmenters.values()].map((s) => s.then((loaded) => loaded.dispose(), () => {})));
    this.segmenters.clear();
    this.people = null;
    await Promise.all([...this.faceDetectors.values()].map((d) => d.dispose()));
    this.faceDetectors.clear();
    await this.refiner.dispose();
    await this.background.close?.();
  }

  /**
   * The engine's stages up to the full-resolution matte, typed end to end: segment, people, smooth, plan,
   * matte, upsample (composite follows in the constructor). People not kept leave the mask at 'people', so
   * the trimap and the matte see them as background. The refiner
   * is taken once per frame (at smooth) and serves that frame to the end, even if matting is switched
   * meanwhile. Stages a segmentation-only refiner passes through make no figures.
   */
  private mattingStages(): Stages<LiveFrame, Upsampled> {
    const matting = (item: Smoothed) => (item.refiner.describe().mode === 'off' ? 'none' : 'own');
    // An unchanged frame skips segmentation, people, smoothing, planning and (once its frame's matte has
    // started) matting, and is upsampled and composited from the last processed frame's results.
    const own = (item: Smoothed) => (item.unchanged ? 'none' : matting(item));
    return Stages.first<LiveFrame, Segmented>({
      name: 'segment',
      run: async (frame) => ({ frame, ...(await this.segment(frame.image)) }),
      timing: (item) => (item.unchanged ? 'none' : 'own'),
    })
      .then<Segmented>({
        name: 'people',
        run: async (item) => {
          if (item.unchanged) return item;
          const kept = await this.keepPeople(item.frame.image, item.prob);
          return { frame: item.frame, prob: kept ?? item.prob, peopleKept: kept !== null };
        },
        timing: (item) => (item.peopleKept ? 'own' : 'none'),
      })
      .then<Smoothed>({
        name: 'smooth',
        run: ({ frame, prob, unchanged }) => {
          const refiner = this.refiner;
          const last = this.lastPlanned;
          if (unchanged && last && last.refiner === refiner) return { frame: { ...frame, reused: true }, refiner, prob: last.prob, unchanged, reusedPlan: last.plan };
          return { frame, refiner, prob: refiner.smooth(frame.image, prob) };
        },
        timing: own,
      })
      .then<Planned>({
        name: 'plan',
        run: (item) => {
          if (item.reusedPlan !== undefined) return { ...item, plan: item.reusedPlan };
          const planned = { ...item, plan: item.refiner.plan(item.frame.image, item.prob) };
          this.lastPlanned = { ...planned, matted: false };
          return planned;
        },
        timing: own,
      })
      .then<Matted>({
        name: 'matte',
        run: async (item) => {
          this.checkMatting(item.refiner);
          const last = this.lastPlanned;
          // An unchanged frame stands in for the last processed one when that one found the matter busy.
          const wanted = item.plan && (!item.unchanged || (last !== null && !last.matted));
          const running = wanted && item.plan ? item.refiner.matte(item.frame.image, item.plan) : null;
          if (running && last?.plan === item.plan) last.matted = true;
          // Offline, each frame waits for its own matte.
          if (running && !this.options.live) await running;
          return { ...item, running };
        },
        timing: (item) => item.running ?? 'none',
      })
      .then<Upsampled>({
        name: 'upsample',
        run: ({ frame, refiner, prob, plan }) => ({ frame, matte: refiner.upsample(frame.image, prob, plan) }),
      });
  }

  /** A matting model that loads but fails on a run: carry on with segmentation only and say so. */
  private checkMatting(refiner: Refiner): void {
    const issue = refiner.describe().issue;
    if (!issue || this.refiner !== refiner) return;
    this.refiner = maskRefiner();
    this.mattingIssue = issue;
    void refiner.dispose().catch(() => {});
    throw new EngineFailure('matting-unavailable', `matting stopped, segmentation only from now on: ${issue}`);
  }

  /**
   * The mask of the people kept ('main' and 'pick' modes), or null where the stage has nothing to do: 'all' mode, or
   * a face detector that would not load (everyone stays, and the stats say why).
   */
  private async keepPeople(frame: RgbaImage, prob: FloatImage): Promise<FloatImage | null> {
    if (this.peopleMode === 'all' || this.peopleIssue) return null;
    const model = this.faceModel;
    let detector = this.faceDetectors.get(model);
    if (!detector) {
      try {
        detector = await createFaceDetector({
          model,
          modelsDir: this.options.modelsDir,
          threads: this.options.threads ?? defaultThreads(this.options.live),
          providers: this.options.providers,
        });
      } catch (error) {
        if (model === this.faceModel) this.peopleIssue = `the face detector could not be loaded: ${messageOf(error)}`;
        return null;
      }
      this.faceDetectors.set(model, detector);
    }
    this.people ??= createPeopleStage({ detector, mode: this.peopleMode });
    const kept = await this.people.process(frame, prob);
    this.peopleFallback = kept.fallback;
    return kept.prob;
  }

  /**
   * The person probability of a frame; live, when the picture barely changed since the last frame segmented
   * (judged in the person's region first, pixels/change.ts), that frame's probability, marked unchanged.
   */
  private async segment(frame: RgbaImage): Promise<{ prob: FloatImage; unchanged: boolean }> {
    const segmenter = await this.segmenterFor(modelFor(frame.width, frame.height));
    const input = segmenter.prepare(frame);
    const last = this.processed;
    const { width, height } = segmenter;
    if (
      last &&
      this.options.live &&
      this.options.config.skipUnchanged !== false &&
      last.segmenter === segmenter &&
      last.refiner === this.refiner &&
      last.reused < MAX_REUSED &&
      frameChange(last.input, input, last.region, width, height).unchanged
    ) {
      last.reused++;
      return { prob: last.prob, unchanged: true };
    }
    const prob = await segmenter.infer(input);
    const region = personRegion(prob.data, width, height, DEFAULT_CHANGE.personLevel, DEFAULT_CHANGE.margin);
    this.processed = { segmenter, refiner: this.refiner, input, region, prob, reused: 0 };
    return { prob, unchanged: false };
  }

  /** The model's segmenter, loaded once; a load that failed is tried again at the next frame. */
  private async segmenterFor(model: SegmentationModel): Promise<Segmenter> {
    let loading = this.segmenters.get(model);
    if (!loading) {
      loading = openSegmenter(model, this.options);
      this.segmenters.set(model, loading);
    }
    let segmenter: Segmenter;
    try {
      segmenter = await loading;
    } catch (error) {
      if (this.segmenters.get(model) === loading) this.segmenters.delete(model);
      throw error;
    }
    this.provider = segmenter.provider;
    this.providerNote = describeProviders(segmenter.provider, segmenter.fallbacks);
    this.startup.segmenterMs ??= performance.now() - this.startedAt;
    return segmenter;
  }
}

function openSegmenter(model: SegmentationModel, options: SessionOptions): Promise<Segmenter> {
  return createSegmenter({
    model,
    modelsDir: options.modelsDir,
    threads: options.threads ?? defaultThreads(options.live),
    providers: options.providers,
  }).catch((error: unknown) => {
    throw new EngineFailure('model-load-failed', `segmentation model could not be loaded: ${messageOf(error)}`);
  });
}

/**
 * Offline, every core serves the one frame in hand. Live, segmentation (on the engine's thread) and
 * matting (on its own) get one thread each: on the two-core machine the budget is set for, they then
 * overlap on the two cores instead of fighting over both, and the frame loop never waits for a matte.
 */
function defaultThreads(live: boolean | undefined): number {
  return live ? 1 : availableParallelism();
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

