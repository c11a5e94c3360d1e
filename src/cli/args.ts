import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
} from '../common/contract';
import { CAMERAS_USAGE } from './cameras';
import { UsageError } from './errors';
import {
  DEFAULT_BLUR_STRENGTH,
  MAX_DURATION_SEC,
  oneOf,
  parseBackgroundFlag,
  parseFlags,
  parseSize,
  PEOPLE_FLAG_MODES,
  positiveInt,
  positiveNumber,
  type FlagSpec,
} from './flags';
import { parseRunCommand, type RunOptions } from './run/args';
import { carriesAlpha, formatForPath, type EncodeFormat, type Size } from '../io/ffmpeg/args';
import { Y4M_DEFAULT_RATE } from '../io/y4m';

export interface RenderOptions {
  input: string;
  output: string;
  format: EncodeFormat;
  background: Background;
  matting: MattingMode;
  quality: Quality;
  people: PeopleMode;
  /** The face detector --people main tells people apart with. */
  faceModel: FaceModel;
  /** Scale the input to this size before the engine sees it. */
  size: Size | null;
  maxFrames: number | null;
  /** Stop after this many seconds of the input. */
  durationSec: number | null;
  threads: number | null;
  modelsDir: string | null;
  /** Replace an existing output file. */
  force: boolean;
}

/** Auto tunes itself to a live frame rate, which one photo does not have. */
export const MATTE_QUALITIES = ['performance', 'balanced', 'quality', 'max'] as const;
export type MatteQuality = (typeof MATTE_QUALITIES)[number];

export interface MatteOptions {
  image: string;
  /** A trimap image (0 background, 255 foreground, anything else unknown); null: the engine makes one. */
  trimap: string | null;
  output: string;
  matting: Exclude<MattingMode, 'off'>;
  /** The live path at a quality's pixel budget, or `max`: the network on the full image. */
  quality: MatteQuality;
  threads: number | null;
  modelsDir: string | null;
  /** Replace an existing output file. */
  force: boolean;
}

export type CliCommand =
  | { command: 'help'; text: string }
  | { command: 'render'; options: RenderOptions }
  | { command: 'run'; options: RunOptions }
  | { command: 'matte'; options: MatteOptions }
  | { command: 'cameras' };


export const USAGE = `Usage: backdrop <command> [options]

Commands:
  render    replace the background of a video or image file
  run       a live session without a window: camera to virtual camera, recording, stream
  matte     write the alpha matte of a photo, from the engine's own trimap or a given one
  cameras   list the V4L2 cameras (/dev/video*) and the formats each offers

Run "backdrop <command> --help" for a command's options; "backdrop --version" prints the version.
Add --verbose to any command to let the native libraries (onnxruntime, GPU drivers) log as they like.`;

export const RENDER_USAGE = `Usage: backdrop render --input <file> --output <file> [options]

  -i, --input <file>        video (.mp4, .y4m, ...) or image (.png, .jpg, ...) of a person
  -o, --output <file>       .y4m, .mp4, .webm, .png or .jpg (the extension picks the format)
  -b, --background <bg>     blur | blur:<0..1> | #rrggbb | #rgb | <CSS colour name> | transparent | none |
                            <image path> | <video path> (.mp4, .webm, ...: plays behind the person in step
                            with the input, looping when shorter)
                            (default blur, strength ${DEFAULT_BLUR_STRENGTH}); transparent needs .png or .webm output
      --matting <mode>      ${MATTING_MODES.join(' | ')} (default ${DEFAULT_ENGINE_CONFIG.matting})
      --quality <q>         ${QUALITIES.join(' | ')} (default ${DEFAULT_ENGINE_CONFIG.quality})
      --people <who>        all: everyone the segmenter sees | main: only the person with the largest
                            face over time, the others become background (default all)
      --face-model <m>      short: faces near the camera (within about 2 m) | full: people further
                            away, e.g. across a room; slower (default short; with --people main)
      --size <WxH>          scale the input to this size first
      --frames <n>          stop after n frames
      --duration <s>        stop after s seconds of the input (with --frames, whichever comes first)
      --threads <n>         inference threads
      --models <dir>        folder holding the ONNX models
  -f, --force               overwrite the output if it exists (without it, an existing file is refused)
  -h, --help                show this help

A .y4m input whose header gives no frame rate (F0:0) is read at ${Y4M_DEFAULT_RATE.num} fps, with a warning.`;

export const MATTE_USAGE = `Usage: backdrop matte --image <file> --output <alpha.png> [options]

      --image <file>        photo to matte (.png, .jpg, ...)
      --trimap <file>       trimap image: 0 background, 255 foreground, other values unknown
                            (default: the engine's trimap from person segmentation)
  -o, --output <file>       alpha matte as an 8-bit grey PNG
      --matting <mode>      light | full (default light; full needs models/fba_full.onnx)
      --quality <q>         ${MATTE_QUALITIES.join(' | ')} (default max): the live path, the person's
                            crop matted at that quality's pixel budget and upsampled to the full
                            image; max mattes the full image
      --threads <n>         inference threads
      --models <dir>        folder holding the ONNX models
  -f, --force               overwrite the output if it exists (without it, an existing file is refused)
  -h, --help                show this help`;

const RENDER_FLAGS: readonly FlagSpec[] = [
  { name: 'input', alias: 'i', value: true },
  { name: 'output', alias: 'o', value: true },
  { name: 'background', alias: 'b', value: true },
  { name: 'matting', value: true },
  { name: 'quality', value: true },
  { name: 'people', value: true },
  { name: 'face-model', value: true },
  { name: 'size', value: true },
  { name: 'frames', value: true },
  { name: 'duration', value: true },
  { name: 'threads', value: true },
  { name: 'models', value: true },
  { name: 'force', alias: 'f', value: false },
  { name: 'help', alias: 'h', value: false },
];

/** `--name value`, `--name=value`, `-a value`; every flag at most once, no positional arguments. */
function required(flags: Map<string, string>, name: string, command = 'render'): string {
  const value = flags.get(name);
  if (value === undefined || value.length === 0) throw new UsageError(`--${name} is required; see backdrop ${command} --help`);
  return value;
}

export function parseRenderArgs(argv: readonly string[]): CliCommand {
  const flags = parseFlags(argv, RENDER_FLAGS, 'render');
  if (flags.has('help')) return { command: 'help', text: RENDER_USAGE };
  const input = required(flags, 'input');
  const output = required(flags, 'output');
  const format = formatForPath(output);
  if (!format) {
    throw new UsageError(`--output ${output}: the extension must be one of .y4m, .mp4, .webm, .png, .jpg (it picks the format)`);
  }
  if (resolve(input) === resolve(output)) throw new UsageError('--output must differ from --input');
  const background = parseBackgroundFlag(flags.get('background') ?? 'blur');
  if (background.kind === 'transparent' && !carriesAlpha(format)) {
    throw new UsageError(`--background transparent needs an output that keeps alpha (.png or .webm), not .${format}`);
  }
  return {
    command: 'render',
    options: {
      input,
      output,
      format,
      background,
      matting: oneOf(flags.get('matting'), MATTING_MODES, 'matting', DEFAULT_ENGINE_CONFIG.matting),
      quality: oneOf(flags.get('quality'), QUALITIES, 'quality', DEFAULT_ENGINE_CONFIG.quality),
      people: oneOf(flags.get('people'), PEOPLE_FLAG_MODES, 'people', 'all'),
      faceModel: oneOf(flags.get('face-model'), FACE_MODEL_NAMES, 'face-model', 'short'),
      size: parseSize(flags.get('size')),
      maxFrames: positiveInt(flags.get('frames'), 'frames'),
      durationSec: positiveNumber(flags.get('duration'), 'duration', MAX_DURATION_SEC),
      threads: positiveInt(flags.get('threads'), 'threads'),
      modelsDir: flags.get('models') ?? null,
      force: flags.has('force'),
    },
  };
}

const MATTE_FLAGS: readonly FlagSpec[] = [
  { name: 'image', value: true },
  { name: 'trimap', value: true },
  { name: 'output', alias: 'o', value: true },
  { name: 'matting', value: true },
  { name: 'quality', value: true },
  { name: 'threads', value: true },
  { name: 'models', value: true },
  { name: 'force', alias: 'f', value: false },
  { name: 'help', alias: 'h', value: false },
];

export function parseMatteArgs(argv: readonly string[]): CliCommand {
  const flags = parseFlags(argv, MATTE_FLAGS, 'matte');
  if (flags.has('help')) return { command: 'help', text: MATTE_USAGE };
  const image = required(flags, 'image', 'matte');
  const output = required(flags, 'output', 'matte');
  if (formatForPath(output) !== 'png') throw new UsageError(`--output ${output}: the matte is written as PNG; name it .png`);
  if (resolve(image) === resolve(output)) throw new UsageError('--output must differ from --image');
  return {
    command: 'matte',
    options: {
      image,
      trimap: flags.get('trimap') ?? null,
      output,
      matting: oneOf(flags.get('matting'), ['light', 'full'] as const, 'matting', 'light'),
      quality: oneOf(flags.get('quality'), MATTE_QUALITIES, 'quality', 'max'),
      threads: positiveInt(flags.get('threads'), 'threads'),
      modelsDir: flags.get('models') ?? null,
      force: flags.has('force'),
    },
  };
}

function parseCamerasArgs(argv: readonly string[]): CliCommand {
  const flags = parseFlags(argv, [{ name: 'help', alias: 'h', value: false }], 'cameras');
  return flags.has('help') ? { command: 'help', text: CAMERAS_USAGE } : { command: 'cameras' };
}

/** Each command parses its own flags. */
const COMMANDS: Record<string, (argv: readonly string[]) => CliCommand> = {
  render: parseRenderArgs,
  run: parseRunCommand,
  matte: parseMatteArgs,
  cameras: parseCamerasArgs,
};

/** The version in package.json, which `backdrop --version` prints. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return `backdrop ${pkg.version ?? 'unknown'}`;
}

/**
 * `--verbose` goes with any command, in any place: it only lets native libraries log, which the
 * command's own options know nothing of.
 */
export function splitVerbose(argv: readonly string[]): { verbose: boolean; rest: string[] } {
  const rest = argv.filter((a) => a !== '--verbose');
  return { verbose: rest.length < argv.length, rest };
}

export function parseCli(argv: readonly string[]): CliCommand {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError('no command given; see backdrop --help');
  if (name === '--version' || name === '-V' || name === 'version') return { command: 'help', text: cliVersion() };
  if (name === '--help' || name === '-h' || name === 'help') return { command: 'help', text: USAGE };
  // hasOwn: 'constructor' or 'valueOf' would otherwise find Object's own methods.
  const parse = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!parse) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return parse(rest);
}
