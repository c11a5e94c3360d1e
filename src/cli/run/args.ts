import { extname } from 'node:path';
import {
  DEFAULT_ENGINE_CONFIG,
  FACE_MODEL_NAMES,
  MATTING_MODES,
  QUALITIES,
  type Background,
  type FaceModel,
  type MattingMode,
  type PeopleMode,
  type Quality,
} from '../../common/contract';
import type { Rate, Size } from '../../io/ffmpeg/args';
import { Y4M_DEFAULT_RATE } from '../../io/y4m';
import type { AudioSource } from '../../outputs/recorder/audio';
import { parseStreamTarget, StreamUrlError, type StreamTarget } from '../../outputs/streamer/url';
import { targetFor, type VirtualCameraTarget } from '../../outputs/v4l2/args';
import { MAX_DURATION_SEC, parseBackgroundFlag, parseFlags, parseSize, PEOPLE_FLAG_MODES, positiveNumber } from '../flags';
import { UsageError } from '../errors';
import { cameraSpecFor, type CameraSpec } from './camera';

export interface RunOptions {
  camera: CameraSpec;
  background: Background;
  virtualCamera: VirtualCameraTarget | null;
  record: string | null;
  stream: StreamTarget | null;
  microphone: AudioSource;
  durationSec: number | null;
  size: Size | null;
  fps: Rate | null;
  matting: MattingMode;
  quality: Quality;
  people: PeopleMode;
  /** The face detector --people main tells people apart with. */
  faceModel: FaceModel;
  threads: number | null;
  modelsDir: string | null;
  json: boolean;
  /** Replace an existing --record file. */
  force: boolean;
}

/** Where the stream key comes from when it is not in the URL: never a flag, which ps and shell history would show. */
export const STREAM_KEY_ENV = 'BACKDROP_STREAM_KEY';

export const RUN_USAGE = `Usage: backdrop run --camera <device or file> [options]

Runs a live session without a window until --duration has passed, the camera file ends, or Ctrl-C.

  -c, --camera <src>          a V4L2 camera (/dev/video0) or a video file (.y4m, .mp4) played at its own
                              frame rate, looping when --duration is longer
  -b, --background <bg>       blur | blur:<0..1> | #rrggbb | #rgb | <CSS colour name> | none |
                              <image path> | <video path> (.mp4, .webm, ...: loops behind the person)
                              (default blur)
      --virtual-camera <dst>  a v4l2loopback device (/dev/video10), or a .y4m file standing in for one
      --record <file.mp4>     record to a crash-safe MP4, finalised on a clean stop
      --stream <url>          rtmp://, rtmps:// or srt:// URL; the key goes in the URL or in $${STREAM_KEY_ENV}
      --microphone <mic>      none (default) | pulse:<source> | alsa:<device> | lavfi:<graph>
      --duration <s>          stop after this many seconds
      --size <WxH>            camera frame size (a device's default is 1280x720)
      --fps <n>               camera and output frame rate (default: the file's own, 30 for a device;
                              a .y4m whose header gives none (F0:0) plays at ${Y4M_DEFAULT_RATE.num}, with a warning)
      --matting <mode>        ${MATTING_MODES.join(' | ')} (default ${DEFAULT_ENGINE_CONFIG.matting})
      --quality <q>           ${QUALITIES.join(' | ')} (default ${DEFAULT_ENGINE_CONFIG.quality})
      --people <who>          all: everyone the segmenter sees | main: only the person with the largest
                              face over time, the others become background (default all)
      --face-model <m>        short: faces near the camera (within about 2 m) | full: people further
                              away, e.g. across a room; slower (default short; with --people main)
      --threads <n>           inference threads
      --models <dir>          folder holding the ONNX models
      --json                  print the closing summary as one JSON object on stdout
  -f, --force                 overwrite the --record file if it exists (without it, it is refused)
  -h, --help                  show this help`;

const RUN_FLAGS = [
  { name: 'camera', alias: 'c', value: true },
  { name: 'background', alias: 'b', value: true },
  { name: 'virtual-camera', value: true },
  { name: 'record', value: true },
  { name: 'stream', value: true },
  { name: 'microphone', value: true },
  { name: 'duration', value: true },
  { name: 'size', value: true },
  { name: 'fps', value: true },
  { name: 'matting', value: true },
  { name: 'quality', value: true },
  { name: 'people', value: true },
  { name: 'face-model', value: true },
  { name: 'threads', value: true },
  { name: 'models', value: true },
  { name: 'json', value: false },
  { name: 'force', alias: 'f', value: false },
  { name: 'help', alias: 'h', value: false },
];

export function parseMicrophone(value: string | undefined): AudioSource {
  if (value === undefined || value === 'none') return { kind: 'none' };
  const m = /^(pulse|alsa|lavfi):(.+)$/s.exec(value);
  if (!m) throw new UsageError(`--microphone must be none, pulse:<source>, alsa:<device> or lavfi:<graph>; got ${JSON.stringify(value)}`);
  return m[1] === 'lavfi' ? { kind: 'lavfi', graph: m[2] } : { kind: m[1] as 'pulse' | 'alsa', device: m[2] };
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  return value as T;
}

export function parseRunArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): RunOptions | { help: string } {
  const flags = parseFlags(argv, RUN_FLAGS, 'run');
  if (flags.has('help')) return { help: RUN_USAGE };
  const camera = flags.get('camera');
  if (!camera) throw new UsageError('--camera is required; see backdrop run --help');
  const background = parseBackgroundFlag(flags.get('background') ?? 'blur');
  if (background.kind === 'transparent') {
    throw new UsageError('--background transparent has no meaning for a live camera (video calls and streams drop alpha); use backdrop render for transparent files');
  }
  const record = flags.get('record') ?? null;
  if (record !== null && extname(record).toLowerCase() !== '.mp4') throw new UsageError(`--record writes MP4; ${record} does not end in .mp4`);
  let stream: StreamTarget | null = null;
  const url = flags.get('stream');
  if (url !== undefined) {
    try {
      stream = parseStreamTarget(url, env[STREAM_KEY_ENV]);
    } catch (error) {
      if (error instanceof StreamUrlError && error.problem === 'no-key') {
        throw new UsageError(`--stream: no stream key: add it to the end of the URL or put it in $${STREAM_KEY_ENV}`);
      }
      if (error instanceof StreamUrlError) throw new UsageError(`--stream: ${error.message}`);
      throw error;
    }
  }
  const fps = positiveNumber(flags.get('fps'), 'fps', 120);
  if (fps !== null && !Number.isInteger(fps)) throw new UsageError(`--fps must be a whole number, got ${fps}`);
  const threads = positiveNumber(flags.get('threads'), 'threads', 64);
  if (threads !== null && !Number.isInteger(threads)) throw new UsageError(`--threads must be a whole number, got ${threads}`);
  const vc = flags.get('virtual-camera');
  return {
    camera: cameraSpecFor(camera),
    background,
    virtualCamera: vc === undefined ? null : targetFor(vc),
    record,
    stream,
    microphone: parseMicrophone(flags.get('microphone')),
    durationSec: positiveNumber(flags.get('duration'), 'duration', MAX_DURATION_SEC),
    size: parseSize(flags.get('size')),
    fps: fps === null ? null : { num: fps, den: 1 },
    matting: oneOf(flags.get('matting'), MATTING_MODES, 'matting', DEFAULT_ENGINE_CONFIG.matting),
    quality: oneOf(flags.get('quality'), QUALITIES, 'quality', DEFAULT_ENGINE_CONFIG.quality),
    people: oneOf(flags.get('people'), PEOPLE_FLAG_MODES, 'people', 'all'),
    faceModel: oneOf(flags.get('face-model'), FACE_MODEL_NAMES, 'face-model', 'short'),
    threads,
    modelsDir: flags.get('models') ?? null,
    json: flags.has('json'),
    force: flags.has('force'),
  };
}

/** The `run` entry of the CLI's command table. */
export function parseRunCommand(argv: readonly string[]): { command: 'help'; text: string } | { command: 'run'; options: RunOptions } {
  const parsed = parseRunArgs(argv);
  return 'help' in parsed ? { command: 'help', text: parsed.help } : { command: 'run', options: parsed };
}
