import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { ContractError, parseFromEngine, type EngineStats, type FromEngine } from '../common/contract';
import type { RgbaImage } from '../engine/frame';
import { spawnEngineWorker } from '../engine/worker';
import { FfmpegNotFoundError, locateFfmpeg } from '../sinks/ffmpeg/locate';
import { RecorderError } from '../sinks/recorder/errors';
import { Recorder } from '../sinks/recorder/recorder';
import { Streamer, type StreamStatus } from '../sinks/streamer/streamer';
import { V4l2SinkError } from '../sinks/v4l2/errors';
import { VirtualCamera } from '../sinks/v4l2/sink';
import { CommandError } from './errors';
import type { ProgressStream } from './progress';
import type { RunOptions } from './run/args';
import { CameraError, cameraFormat, cameraFrames, type CameraFormat } from './run/camera';
import { formatRunSummary, formatStatus, summarise, type OutputReport, type RunSummary } from './run/summary';

const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../models', import.meta.url));
/** A device camera that fails (unplugged, taken by another app) is tried again this often. */
const CAMERA_RETRY_MS = 2000;
const STATUS_EVERY_MS = 1000;
/** A plain (non-terminal) stderr gets a status line this seldom, so logs stay readable. */
const PLAIN_STATUS_EVERY_MS = 5000;
const ENGINE_STOP_TIMEOUT_MS = 5000;
const MAX_AUDIO_DELAY_MS = 2000;

export interface RunIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** Waits for the engine's answer to 'start': ready, or the error that stopped it. */
function engineReady(port: MessagePort): Promise<string> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: unknown) => {
      let msg: FromEngine;
      try {
        msg = parseFromEngine(data);
      } catch (error) {
        reject(new CommandError(`the engine sent a malformed message: ${(error as ContractError).message}`));
        return;
      }
      if (msg.type === 'ready') {
        port.off('message', onMessage);
        resolve(msg.provider);
      } else if (msg.type === 'error') {
        port.off('message', onMessage);
        reject(new CommandError(`the engine could not start: ${msg.error.message}`));
      }
    };
    port.on('message', onMessage);
  });
}

/** Everything the run writes to, each failing on its own without stopping the others. */
class Outputs {
  vcam: VirtualCamera | null = null;
  recorder: Recorder | null = null;
  streamer: Streamer | null = null;
  streamStatus: StreamStatus | null = null;
  readonly errors = new Map<OutputReport['kind'], string>();
  private lateStarted = false;

  constructor(
    private readonly options: RunOptions,
    private readonly format: CameraFormat,
    private readonly ffmpegPath: string,
    private readonly say: (line: string) => void,
  ) {}

  get fps(): number {
    return Math.round(this.format.rate.num / this.format.rate.den);
  }

  /** The virtual camera starts at once: it shows the slate until the first composited frame. */
  startVirtualCamera(): void {
    const target = this.options.virtualCamera;
    if (!target) return;
    try {
      this.vcam = VirtualCamera.start({ target, width: this.format.width, height: this.format.height, fps: this.fps, ffmpegPath: this.ffmpegPath });
    } catch (error) {
      if (error instanceof V4l2SinkError) throw new CommandError(`--virtual-camera ${target.path}: ${error.message}`);
      throw error;
    }
    void this.vcam.ended.then((error) => error && this.fail('virtual-camera', error.message));
  }

  /** Recording and streaming start once frames come out of the engine, not with seconds of slate while models load. */
  startLate(audioDelayMs: number): void {
    if (this.lateStarted) return;
    this.lateStarted = true;
    const { width, height } = this.format;
    if (this.options.record) {
      this.recorder = Recorder.start({ path: this.options.record, width, height, fps: this.fps, audio: this.options.microphone, audioDelayMs, ffmpegPath: this.ffmpegPath });
      void this.recorder.ended.then((error) => error && this.fail('record', `${error.message}${error.savedTo ? ` (saved to ${error.savedTo})` : ''}`));
    }
    if (this.options.stream) {
      this.streamer = Streamer.start({
        target: this.options.stream,
        width,
        height,
        fps: this.fps,
        audio: this.options.microphone,
        audioDelayMs,
        ffmpegPath: this.ffmpegPath,
        onStatus: (status) => {
          this.streamStatus = status;
          if (status.state === 'reconnecting') this.say(`stream: ${status.error.message} (attempt ${status.attempt} in ${(status.inMs / 1000).toFixed(1)} s)`);
          if (status.state === 'live' && this.streamer && this.streamer.stats.reconnects > 0) this.say('stream: live again');
          if (status.state === 'failed') this.fail('stream', status.error.message);
        },
      });
    }
  }

  offer(frame: RgbaImage): void {
    this.vcam?.offer(frame);
    if (this.recorder?.running) this.recorder.offer(frame);
    this.streamer?.offer(frame);
  }

  statusWords(): string[] {
    const words: string[] = [];
    if (this.vcam) words.push(`vcam ${this.errors.has('virtual-camera') ? 'FAILED' : 'on'}`);
    if (this.recorder) {
      const s = this.recorder.stats();
      words.push(this.errors.has('record') ? 'rec FAILED' : `rec ${(s.bytes / 1e6).toFixed(1)} MB ${s.bitrateKbps.toFixed(0)} kb/s`);
    }
    if (this.streamer) words.push(`stream ${this.streamStatus?.state ?? 'starting'}`);
    return words;
  }

  /** Stops every output cleanly (a recording is finalised, a stream unpublished) and reports on each. */
  async stop(): Promise<OutputReport[]> {
    const reports = await Promise.all([this.stopVirtualCamera(), this.stopRecorder(), this.stopStreamer()]);
    return reports.filter((r): r is OutputReport => r !== null);
  }

  private async stopVirtualCamera(): Promise<OutputReport | null> {
    const vcam = this.vcam;
    if (!vcam) return null;
    await vcam.stop().catch((error: Error) => this.fail('virtual-camera', error.message));
    return this.report('virtual-camera', vcam.device, vcam.stats.written, vcam.stats.dropped, null);
  }

  private async stopRecorder(): Promise<OutputReport | null> {
    const recorder = this.recorder;
    if (!recorder) return null;
    try {
      // On a recording that already failed, stop() waits for what was recorded to be saved, then throws why.
      const result = await recorder.stop();
      return this.report('record', result.path, result.frames, recorder.stats().dropped, `${result.durationSec.toFixed(1)} s, finalised`);
    } catch (error) {
      if (!(error instanceof RecorderError)) throw error;
      this.fail('record', `${error.message}${error.savedTo ? ` (saved to ${error.savedTo})` : ''}`);
      return this.report('record', error.savedTo ?? recorder.path, recorder.stats().frames, recorder.stats().dropped, null);
    }
  }

  private async stopStreamer(): Promise<OutputReport | null> {
    const streamer = this.streamer;
    if (!streamer) return null;
    await streamer.stop();
    const s = streamer.stats;
    return this.report('stream', this.options.stream?.redacted ?? '', s.written, s.dropped, `${s.reconnects} reconnects`);
  }

  private report(kind: OutputReport['kind'], target: string, written: number, dropped: number, note: string | null): OutputReport {
    return { kind, target, framesWritten: written, framesDropped: dropped, note, error: this.errors.get(kind) ?? null };
  }

  private fail(kind: OutputReport['kind'], message: string): void {
    if (this.errors.has(kind)) return;
    this.errors.set(kind, message);
    this.say(`${kind}: ${message}`);
  }
}

/** What the run learns from the engine's messages; composited frames go straight on to the outputs. */
class EngineTally {
  readonly stats: EngineStats[] = [];
  /** Camera read to composited frame back here, ms. */
  readonly latencies: number[] = [];
  framesOut = 0;
  private readonly errors = new Set<string>();

  constructor(
    private readonly outputs: Outputs,
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
      this.latencies.push(performance.timeOrigin + performance.now() - msg.timestamp);
      this.outputs.offer({ width: msg.width, height: msg.height, data: new Uint8Array(msg.pixels) });
    } else if (msg.type === 'stats') {
      this.stats.push(msg.stats);
      // The first window with output gives the engine's latency, by which the sound is delayed to match.
      if (msg.stats.fpsOut > 0) this.outputs.startLate(Math.min(msg.stats.latencyMs.p50, MAX_AUDIO_DELAY_MS));
    } else if (msg.type === 'error') {
      this.once(`engine: ${msg.error.message}`);
    }
  }

  /** The engine repeats an error for every frame it hits; the user needs to read it once. */
  private once(line: string): void {
    if (this.errors.has(line)) return;
    this.errors.add(line);
    this.say(line);
  }
}

/**
 * A live session without a window: camera -> engine (in a worker thread) -> virtual camera, recording,
 * stream, until --duration, the end of a camera file, or Ctrl-C; then every output is stopped cleanly
 * and the figures summarised.
 */
export async function run(options: RunOptions, io: RunIo, signal: AbortSignal): Promise<RunSummary> {
  let ffmpegPath: string;
  try {
    ffmpegPath = locateFfmpeg().path;
  } catch (error) {
    if (error instanceof FfmpegNotFoundError) throw new CommandError(error.message);
    throw error;
  }
  const probed = await cameraFormat(options.camera, options.size, options.fps);
  // H.264 4:2:0 and YUYV both need even sizes; the camera is scaled to the even size just below.
  const format: CameraFormat = { ...probed, width: probed.width - (probed.width % 2), height: probed.height - (probed.height % 2) };
  if (format.width < 2 || format.height < 2) throw new CommandError(`--camera ${options.camera.path} is ${probed.width}x${probed.height}, too small`);

  const say = (line: string) => io.stderr.write(`${io.stderr.isTTY ? '\r\x1b[K' : ''}${line}\n`);
  const worker = spawnEngineWorker({ modelsDir: options.modelsDir ?? DEFAULT_MODELS_DIR, threads: options.threads ?? undefined });
  const port = worker.connect();
  const outputs = new Outputs(options, format, ffmpegPath, say);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let statusTimer: ReturnType<typeof setInterval> | null = null;
  let durationTimer: ReturnType<typeof setTimeout> | null = null;
  let engineDied: string | null = null;
  const died = new Promise<never>((_, reject) =>
    worker.onExit((error) => {
      engineDied = error ? error.message : 'the engine thread exited';
      // The outputs keep showing the slate while they are stopped cleanly; recordings are finalised.
      say(`engine stopped: ${engineDied}; ending the run`);
      stop.abort();
      reject(new CommandError(`the engine stopped before it was ready: ${engineDied}`));
    }),
  );
  died.catch(() => {});
  try {
    const ready = engineReady(port);
    port.postMessage({ type: 'start', config: { background: options.background, matting: options.matting, quality: options.quality } });
    await Promise.race([ready, died, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
    if (!stop.signal.aborted) outputs.startVirtualCamera();
    const engine = new EngineTally(outputs, say);
    port.on('message', (data: unknown) => engine.handle(data));
    let framesIn = 0;
    let peakRss = process.memoryUsage().rss;

    const started = performance.now();
    const cpuStart = process.cpuUsage();
    if (options.durationSec !== null) durationTimer = setTimeout(() => stop.abort(), options.durationSec * 1000);
    let lastPlain = 0;
    statusTimer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const now = performance.now();
      if (!io.stderr.isTTY && now - lastPlain < PLAIN_STATUS_EVERY_MS) return;
      lastPlain = now;
      const recent = engine.stats.at(-1);
      const line = formatStatus({
        seconds: (now - started) / 1000,
        fpsIn: recent?.fpsIn ?? 0,
        fpsOut: recent?.fpsOut ?? 0,
        latencyP50: recent?.latencyMs.p50 ?? 0,
        dropped: Math.max(0, framesIn - engine.framesOut),
        outputs: outputs.statusWords(),
      });
      io.stderr.write(io.stderr.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
    }, STATUS_EVERY_MS);

    // A file camera loops only when the run is meant to outlast it.
    const loop = options.camera.kind === 'file' && options.durationSec !== null && (format.durationSec === null || options.durationSec > format.durationSec);
    let nextId = 0;
    while (!stop.signal.aborted) {
      try {
        for await (const frame of cameraFrames(ffmpegPath, { spec: options.camera, format, loop }, stop.signal)) {
          framesIn++;
          const pixels = frame.data.buffer as ArrayBuffer;
          port.postMessage({ type: 'frame', id: nextId++, width: frame.width, height: frame.height, timestamp: performance.timeOrigin + performance.now(), pixels }, [pixels]);
        }
        if (options.camera.kind === 'file') break;
        say(`camera ${options.camera.path} stopped sending frames; trying again`);
      } catch (error) {
        if (!(error instanceof CameraError)) throw error;
        // A file that cannot be decoded will not improve; a device may come back (replugged, released by another app).
        if (options.camera.kind === 'file' || framesIn === 0) throw new CommandError(error.message);
        say(`${error.message}; the outputs show the paused slate, trying again`);
      }
      await sleep(CAMERA_RETRY_MS, stop.signal);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    if (statusTimer) clearInterval(statusTimer);
    statusTimer = null;
    if (io.stderr.isTTY) io.stderr.write('\r\x1b[K');
    const reports = await outputs.stop();
    return summarise({
      seconds,
      framesIn,
      framesOut: engine.framesOut,
      latencies: engine.latencies,
      cpuMicros: cpu.user + cpu.system,
      peakRssBytes: Math.max(peakRss, process.memoryUsage().rss),
      engineStats: engine.stats,
      outputs: reports,
      engineError: engineDied,
    });
  } finally {
    if (statusTimer) clearInterval(statusTimer);
    if (durationTimer) clearTimeout(durationTimer);
    signal.removeEventListener('abort', onAbort);
    if (engineDied === null) await stopEngine(port);
    port.close();
    await worker.terminate();
  }
}

/** Asks the engine to release its models; a wedged engine is terminated with the worker anyway. */
async function stopEngine(port: MessagePort): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ENGINE_STOP_TIMEOUT_MS);
    port.on('message', (data: { type?: string } | null) => {
      if (data?.type === 'stopped') {
        clearTimeout(timer);
        resolve();
      }
    });
    port.postMessage({ type: 'stop' });
  });
}

/** `backdrop run`: the summary on stderr, or as one JSON object on stdout with --json. Exit 1 if the engine or an output failed. */
export async function runCommand(options: RunOptions, io: RunIo, signal: AbortSignal): Promise<number> {
  const summary = await run(options, io, signal);
  if (options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else for (const line of formatRunSummary(summary)) io.stderr.write(`${line}\n`);
  return summary.engineError !== null || summary.outputs.some((o) => o.error !== null) ? 1 : 0;
}
