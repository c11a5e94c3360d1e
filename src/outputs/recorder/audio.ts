import { execFile } from 'node:child_process';

/**
 * The microphone as an ffmpeg input. The user picks one (or none); each platform names devices its own
 * way, and tests stand a generated tone in for a microphone.
 */

export type AudioSource =
  | { kind: 'none' }
  /** PulseAudio or PipeWire's pulse server; device 'default' follows the desktop's choice. */
  | { kind: 'pulse'; device: string }
  | { kind: 'alsa'; device: string }
  | { kind: 'dshow'; device: string }
  /** macOS: an audio device index or name, e.g. '0' or 'MacBook Pro Microphone'. */
  | { kind: 'avfoundation'; device: string }
  /** A libavfilter source graph such as `sine=frequency=440:sample_rate=48000`; tests use it as a microphone. */
  | { kind: 'lavfi'; graph: string };

export class AudioSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AudioSourceError';
  }
}

/** The name the user would recognise, for messages. */
export function describeAudioSource(source: AudioSource): string {
  switch (source.kind) {
    case 'none':
      return 'no microphone';
    case 'lavfi':
      return `generated audio (${source.graph})`;
    default:
      return `microphone "${source.device}" (${source.kind})`;
  }
}

/** What ffmpeg calls the input in its error lines ("<name>: No such entity"). */
export function audioInputName(source: AudioSource): string | null {
  switch (source.kind) {
    case 'none':
      return null;
    case 'lavfi':
      return source.graph;
    case 'dshow':
      return `audio=${source.device}`;
    case 'avfoundation':
      return `:${source.device}`;
    default:
      return source.device;
  }
}

/** The platform's own default microphone. */
export function defaultMicrophone(platform: NodeJS.Platform): AudioSource {
  switch (platform) {
    case 'linux':
      return { kind: 'pulse', device: 'default' };
    case 'darwin':
      return { kind: 'avfoundation', device: 'default' };
    default:
      return { kind: 'none' };
  }
}

/**
 * Input arguments for the source, or none. `delayMs` moves the audio later by the engine's latency:
 * the picture leaves the engine that long after it was captured, and the sound must wait for it.
 */
export function audioInputArgs(source: AudioSource, delayMs = 0): string[] {
  if (source.kind === 'none') return [];
  if (!(Number.isFinite(delayMs) && delayMs >= 0 && delayMs <= 10_000)) throw new AudioSourceError(`audio delay must be in [0, 10000] ms, got ${delayMs}`);
  const name = audioInputName(source) as string;
  if (name.length === 0 || name.length > 512 || name.includes('\0')) throw new AudioSourceError(`${describeAudioSource(source)} is not a usable device name`);
  const offset = delayMs > 0 ? ['-itsoffset', (delayMs / 1000).toFixed(3)] : [];
  // Live capture devices need room to queue while ffmpeg is busy with video, or they drop samples.
  const queue = source.kind === 'lavfi' ? [] : ['-thread_queue_size', '1024'];
  return [...offset, ...queue, '-f', source.kind, '-i', name];
}

export interface Microphone {
  source: AudioSource;
  label: string;
  isDefault: boolean;
}

/**
 * `ffmpeg -sources pulse|alsa` -> the microphones to offer. Lines look like
 * `* alsa_input.usb-Blue_Yeti [Yeti Stereo Microphone] (audio)` (the star marks the default). Monitors
 * record what the speakers play, and ALSA's `null` records silence: neither is a microphone.
 */
export function parseFfmpegSources(kind: 'pulse' | 'alsa', text: string): Microphone[] {
  const mics: Microphone[] = [];
  for (const line of text.split('\n')) {
    // ffmpeg 5.1 appends the media types in parentheses; ALSA fills in none, so they are not relied on.
    const m = /^([* ]) (\S+) \[(.*)\](?: \([^)]*\))?\s*$/.exec(line);
    if (!m || m[2].endsWith('.monitor') || m[2] === 'null') continue;
    mics.push({ source: { kind, device: m[2] }, label: m[3], isDefault: m[1] === '*' });
  }
  return mics;
}

/** The microphones ffmpeg can open through `kind`; none (not an error) where the sound server is absent. */
export function listMicrophones(ffmpegPath: string, kind: 'pulse' | 'alsa'): Promise<Microphone[]> {
  return new Promise((resolve) => {
    execFile(ffmpegPath, ['-hide_banner', '-sources', kind], { timeout: 5000, windowsHide: true }, (_error, stdout) => {
      resolve(parseFfmpegSources(kind, String(stdout)));
    });
  });
}
