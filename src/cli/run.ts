import type { MessagePort } from 'node:worker_threads';
import { ContractError, parseFromEngine, type FromEngine } from '../common/contract';
import { FfmpegNotFoundError, locateFfmpeg } from '../io/ffmpeg/locate';
import { CommandError } from './errors';
import { guessedRateNote } from './notes';
import type { ProgressStream } from './progress';
import type { RunOptions } from './run/args';
import { CameraError, cameraFormat, cameraFrames, type CameraFormat } from './run/camera';
import { frameSizeFor } from './run/camera-size';
import { startEngine, type StartedEngine } from './run/engine-start';
import { checkRunUpFront } from './run/up-front';
import { EngineTally } from './run/engine-tally';
import { RunOutputs } from './run/outputs';
import { formatRunSummary, formatStatus, summarise, type RunSummary } from './run/summary';

/** A device camera that fails (unplugged, taken by another app) is tried again this often. */
const CAMERA_RETRY_MS = 2000;
const STATUS_EVERY_MS = 1000;
/** A plain (non-terminal) stderr gets a status line this seldom, so logs stay readable. */
const PLAIN_STATUS_EVERY_MS = 5000;
const ENGINE_STOP_TIMEOUT_MS = 5000;
/** Longer than the engine's stats interval, whose dropped count tells when the last frames are accounted for. */
const ENGINE_DRAIN_TIMEOUT_MS = 3000;

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

/** Waits for the engine's answer to 'start': ready (with what runs its models), or the error that stopped it. */
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
        resolve(msg.providerNote ?? msg.provider);
      } else if (msg.type === 'error') {
        port.off('message', onMessage);
        reject(new CommandError(`the engine could not start: ${msg.error.message}`));
      }
    };
    port.on('message', onMessage);
  });
}

/**
 * A live session without a window: camera -> engine (in a worker thread) -> virtual camera, recording,
 * stream, until --duration, the end of a camera file, or Ctrl-C; then every output is stopped cleanly
 * and the figures summarised.
 */
export async function run(options: RunOptions, io: RunIo, signal: AbortSignal, spawned?: StartedEngine): Promise<RunSummary> {
  if (!spawned) await checkRunUpFront(options);
  // The engine loads its models while the camera is probed and opened: neither waits for the other.
  const { worker, port } = spawned ?? startEngine(options);
  const ready = engineReady(port);
  ready.catch(() => {});
  let ffmpegPath: string;
  let format: CameraFormat;
  try {
    try {
      ffmpegPath = locateFfmpeg().path;
    } catch (error) {
      if (error instanceof FfmpegNotFoundError) throw new CommandError(error.message);
      throw error;
    }
    format = await runFormat(options);
  } catch (error) {
    // Ending the engine's thread while onnxruntime makes a model there aborts the whole process.
    await stopEngine(port);
    port.close();
    await worker.terminate();
    throw error;
  }
  const say = (line: string) => io.stderr.write(`${io.stderr.isTTY ? '\r\x1b[K' : ''}${line}\n`);
  if (format.rateGuessed) say(`backdrop: warning: ${guessedRateNote(options.camera.path, format.rate, '--fps')}`);

  const outputs = new RunOutputs(options, format, ffmpegPath, say);
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
  const engine = new EngineTally(outputs, say);
  port.on('message', (data: unknown) => engine.handle(data));
  let framesIn = 0;
  let framesIdle = 0;
  let peakRss = process.memoryUsage().rss;
  let started = 0;
  let cpuStart = process.cpuUsage();
  let readyMs: number | null = null;
  /** Set once the engine is ready and the virtual camera is up: camera frames before it are not sent. */
  let live = false;
  let startFailure: unknown = null;
  const starting = (async () => {
    const vcam = outputs.startVirtualCamera();
    vcam.catch(() => {});
    await Promise.race([ready, died, new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }))]);
    if (stop.signal.aborted) return;
    readyMs = performance.now();
    say(`provider: ${await ready}`);
    await vcam;
    started = performance.now();
    cpuStart = process.cpuUsage();
    if (options.durationSec !== null) durationTimer = setTimeout(() => stop.abort(), options.durationSec * 1000);
    live = true;
  })().catch((error: unknown) => {
    startFailure = error;
    stop.abort();
  });
  try {
    let lastPlain = 0;
    statusTimer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const now = performance.now();
      if (!live || (!io.stderr.isTTY && now - lastPlain < PLAIN_STATUS_EVERY_MS)) return;
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
          // Like a camera that runs before anyone watches: frames before the engine is ready are not kept.
          if (!live) continue;
          if (!outputs.needsFrames()) {
            framesIdle++;
            continue;
          }
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
    stop.abort();
    await starting;
    if (startFailure) throw startFailure;
    const seconds = live ? (performance.now() - started) / 1000 : 0;
    const cpu = process.cpuUsage(cpuStart);
    await engine.drained(framesIn, ENGINE_DRAIN_TIMEOUT_MS);
    if (statusTimer) clearInterval(statusTimer);
    statusTimer = null;
    if (io.stderr.isTTY) io.stderr.write('\r\x1b[K');
    const reports = await outputs.stop();
    return summarise({
      seconds,
      framesIn,
      framesOut: engine.framesOut,
      framesIdle,
      latencies: engine.latencies,
      cpuMicros: cpu.user + cpu.system,
      peakRssBytes: Math.max(peakRss, process.memoryUsage().rss),
      engineStats: engine.stats,
      outputs: reports,
      engineError: engineDied,
      readyMs,
      firstFrameMs: engine.firstFrameAt,
    });
  } finally {
    if (statusTimer) clearInterval(statusTimer);
    if (durationTimer) clearTimeout(durationTimer);
    signal.removeEventListener('abort', onAbort);
    stop.abort();
    await starting;
    if (engineDied === null) await stopEngine(port);
    port.close();
    await worker.terminate();
  }
}

/** The camera's frame size and rate, checked against what the engine takes (the probe's size, where main could not know it). */
async function runFormat(options: RunOptions): Promise<CameraFormat> {
  const probed = await cameraFormat(options.camera, options.size, options.fps);
  return { ...probed, ...frameSizeFor(options.camera.path, probed) };
}

/** Asks the engine to release its models; a wedged engine is terminated with the worker anyway. */
async function stopEngine(port: MessagePort): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ENGINE_STOP_TIMEOUT_MS);
    port.on('message', (data: unknown) => {
      let msg: FromEngine;
      try {
        msg = parseFromEngine(data);
      } catch {
        return; // EngineTally reports malformed messages; here only 'stopped' matters
      }
      if (msg.type === 'stopped') {
        clearTimeout(timer);
        resolve();
      }
    });
    port.postMessage({ type: 'stop' });
  });
}

/** `backdrop run`: the summary on stderr, or as one JSON object on stdout with --json. Exit 1 if the engine or an output failed. */
export async function runCommand(options: RunOptions, io: RunIo, signal: AbortSignal, spawned?: StartedEngine): Promise<number> {
  const summary = await run(options, io, signal, spawned);
  if (options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else for (const line of formatRunSummary(summary)) io.stderr.write(`${line}\n`);
  if (summary.framesIn > 0 && summary.framesOut === 0) {
    // Every frame was rejected or lost: a run that produced nothing did not work, whatever else happened.
    io.stderr.write(`backdrop: no frame came out of the engine (${summary.framesIn} camera frames in); see the engine's message above, try a smaller --size or --quality fast\n`);
    return 1;
  }
  return summary.engineError !== null || summary.outputs.some((o) => o.error !== null) ? 1 : 0;
}
