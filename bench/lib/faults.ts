/**
 * Faults in the app's engine path (./app-engine.ts), measured: the engine process killed mid-session
 * (when do the preview and the virtual camera come back), and the recording's ffmpeg killed (is the
 * file playable, and what is the user told). Shared by bench/faults.ts and its test.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { RecordingStatus } from '../../src/common/contract';
import { locateFfmpeg, locateFfprobe } from '../../src/io/ffmpeg/locate';
import { partialPathFor } from '../../src/outputs/recorder/paths';
import { pausedSlate } from '../../src/outputs/v4l2/slate';
import { describeRecording } from '../../src/renderer/components/outputs-format';
import type { AppEngine } from './app-engine';
import { lumaDistance, lumaOf, readFifo, type Y4mFrame } from './y4m-stream';

const exec = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Luma distance from the slate above which a virtual-camera frame is the engine's picture. */
const LIVE_FROM = 12;

export class FaultTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not happen within ${(ms / 1000).toFixed(0)} s`);
    this.name = 'FaultTimeout';
  }
}

async function until<T>(what: string, timeoutMs: number, check: () => T | undefined | null | false): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() > deadline) throw new FaultTimeout(what, timeoutMs);
    await sleep(20);
  }
}

/** The virtual camera as a consumer sees it: when each frame came, and whether it was the engine's or the slate. */
export class VirtualCameraWatch {
  readonly frames: { at: number; live: boolean }[] = [];
  private readonly reader: { close(): void };
  private slates = new Map<string, Uint8Array>();

  constructor(fifo: string) {
    this.reader = readFifo(fifo, (frame) => this.frames.push({ at: performance.now(), live: this.isLive(frame) }));
  }

  firstLiveAfter(t: number): number | undefined {
    return this.frames.find((f) => f.at > t && f.live)?.at;
  }

  close(): void {
    this.reader.close();
  }

  private isLive(frame: Y4mFrame): boolean {
    const key = `${frame.width}x${frame.height}`;
    let slate = this.slates.get(key);
    if (!slate) this.slates.set(key, (slate = lumaOf(pausedSlate(frame.width, frame.height))));
    return lumaDistance(frame.luma, slate) > LIVE_FROM;
  }
}

export interface EngineKillFigures {
  /** The policy's wait before the restart, ms. */
  restartDelayMs: number;
  /** From the kill: the new engine process spawned, said ready, its first composite on the preview, the virtual camera's first picture from it. */
  spawnedMs: number;
  readyMs: number;
  previewMs: number;
  virtualCameraMs: number;
  /** From the new process's spawn to the preview's first frame: what the restart itself costs. */
  restartToFirstFrameMs: number;
}

/** SIGKILL to the engine process mid-session; waits for the preview and the virtual camera to come back. */
export async function killEngine(app: AppEngine, vcam: VirtualCameraWatch, timeoutMs = 120_000): Promise<EngineKillFigures> {
  const pid = app.pid;
  if (pid === undefined) throw new Error('the engine process is not running');
  const killedAt = performance.now();
  process.kill(pid, 'SIGKILL');
  // Each event counts only after the one before it: a composite the killed process sent just before it
  // died can still arrive after the kill, and is not the restarted engine's.
  const after = (kind: string, since: number) => () => app.events.find((e) => e.at >= since && e.kind === kind)?.at;
  const exited = await until('the engine process exiting', timeoutMs, after('exited', killedAt));
  const spawned = await until('the engine process restarting', timeoutMs, after('spawned', exited));
  const ready = await until('the restarted engine saying ready', timeoutMs, after('ready', spawned));
  const preview = await until('a composite on the preview', timeoutMs, after('output', ready));
  const virtualCamera = await until('a picture on the virtual camera', timeoutMs, () => vcam.firstLiveAfter(preview - 1));
  return {
    restartDelayMs: spawned - exited,
    spawnedMs: spawned - killedAt,
    readyMs: ready - killedAt,
    previewMs: preview - killedAt,
    virtualCameraMs: virtualCamera - killedAt,
    restartToFirstFrameMs: preview - spawned,
  };
}

/** The ffmpeg of a child of `parent` writing `path` (SIGKILL finds it the way a crash would). */
function ffmpegWriting(parent: number, path: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').some((a) => a.endsWith(path))) return Number(entry);
    } catch {
      // Gone between the listing and the read.
    }
  }
  return undefined;
}

export interface RecorderKillFigures {
  /** Seconds recorded before the kill, by the status main last heard. */
  recordedSec: number;
  /** From the kill to the status that tells the user. */
  toldMs: number;
  /** What the Outputs panel then says. */
  told: string;
  savedTo: string | null;
  /** The saved file as ffprobe reads it, and what a full decode of it says (empty: no error). */
  savedSec: number | null;
  savedFrames: number | null;
  decodeErrors: string;
  /** Whether the virtual camera kept showing the engine's picture after the kill. */
  virtualCameraLive: boolean;
}

/** Starts a recording, lets it run `seconds`, SIGKILLs its ffmpeg, and checks what is left and what is said. */
export async function killRecorder(app: AppEngine, vcam: VirtualCameraWatch, seconds: number, timeoutMs = 60_000): Promise<RecorderKillFigures> {
  await app.outputs.startRecording();
  const recording = (): RecordingStatus | undefined => app.statuses.at(-1)?.status.recording;
  await until('the recording starting', timeoutMs, () => recording()?.state === 'recording');
  await until(`${seconds} s recorded`, timeoutMs + seconds * 1000, () => (recording()?.elapsedSec ?? 0) >= seconds);
  const path = recording()?.path as string;
  const pid = await until('the recording ffmpeg', timeoutMs, () => ffmpegWriting(app.pid as number, partialPathFor(path)));
  const recordedSec = recording()?.elapsedSec ?? 0;
  const killedAt = performance.now();
  process.kill(pid, 'SIGKILL');
  const told = await until('the user being told', timeoutMs, () => app.statuses.find((s) => s.at > killedAt && s.status.recording.state === 'failed'));
  await sleep(1000);
  const virtualCameraLive = vcam.frames.filter((f) => f.at > told.at).some((f) => f.live);
  const savedTo = told.status.recording.savedTo;
  let savedSec: number | null = null;
  let savedFrames: number | null = null;
  let decodeErrors = '';
  if (savedTo) {
    const { stdout } = await exec(locateFfprobe().path, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames:format=duration', '-of', 'json', savedTo]);
    const probe = JSON.parse(stdout) as { streams: { nb_read_frames: string }[]; format: { duration: string } };
    savedSec = Number(probe.format.duration);
    savedFrames = Number(probe.streams[0]?.nb_read_frames);
    decodeErrors = (await exec(locateFfmpeg().path, ['-v', 'error', '-i', savedTo, '-f', 'null', '-'])).stderr.trim();
  }
  return { recordedSec, toldMs: told.at - killedAt, told: describeRecording(told.status.recording), savedTo, savedSec, savedFrames, decodeErrors, virtualCameraLive };
}
