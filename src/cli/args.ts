import { extname, resolve } from 'node:path';
import {
  ContractError,
  DEFAULT_ENGINE_CONFIG,
  MATTING_MODES,
  MAX_FRAME_HEIGHT,
  MAX_FRAME_WIDTH,
  QUALITIES,
  parseHexColour,
  type Background,
  type MattingMode,
  type Quality,
} from '../common/contract';
import { UsageError } from './errors';
import { parseRunCommand, type RunOptions } from './run/args';
import { carriesAlpha, formatForPath, type EncodeFormat, type Size } from '../io/ffmpeg/args';

export interface RenderOptions {
  input: string;
  output: string;
  format: EncodeFormat;
  background: Background;
  matting: MattingMode;
  quality: Quality;
  /** Scale the input to this size before the engine sees it. */
  size: Size | null;
  maxFrames: number | null;
  threads: number | null;
  modelsDir: string | null;
}

export interface MatteOptions {
  image: string;
  /** A trimap image (0 background, 255 foreground, anything else unknown); null: the engine makes one. */
  trimap: string | null;
  output: string;
  matting: Exclude<MattingMode, 'off'>;
  threads: number | null;
  modelsDir: string | null;
}

export type CliCommand =
  | { command: 'help'; text: string }
  | { command: 'render'; options: RenderOptions }
  | { command: 'run'; options: RunOptions }
  | { command: 'matte'; options: MatteOptions };

const DEFAULT_BLUR_STRENGTH = 0.5;

export const USAGE = `Usage: backdrop <command> [options]

Commands:
  render    replace the background of a video or image file
  run       a live session without a window: camera to virtual camera, recording, stream
  matte     write the alpha matte of a photo, from the engine's own trimap or a given one

Run "backdrop <command> --help" for a command's options.`;

export const RENDER_USAGE = `Usage: backdrop render --input <file> --output <file> [options]

  -i, --input <file>        video (.mp4, .y4m, ...) or image (.png, .jpg, ...) of a person
  -o, --output <file>       .y4m, .mp4, .webm, .png or .jpg (the extension picks the format)
  -b, --background <bg>     blur | blur:<0..1> | #rrggbb | transparent | none | <image path>
                            (default blur, strength ${DEFAULT_BLUR_STRENGTH}); transparent needs .png or .webm output
      --matting <mode>      ${MATTING_MODES.join(' | ')} (default ${DEFAULT_ENGINE_CONFIG.matting})
      --quality <q>         ${QUALITIES.join(' | ')} (default ${DEFAULT_ENGINE_CONFIG.quality})
      --size <WxH>          scale the input to this size first
      --frames <n>          stop after n frames
      --threads <n>         inference threads
      --models <dir>        folder holding the ONNX models
  -h, --help                show this help`;

export const MATTE_USAGE = `Usage: backdrop matte --image <file> --output <alpha.png> [options]

      --image <file>        photo to matte (.png, .jpg, ...)
      --trimap <file>       trimap image: 0 background, 255 foreground, other values unknown
                            (default: the engine's trimap from person segmentation)
  -o, --output <file>       alpha matte as an 8-bit grey PNG
      --matting <mode>      light | full (default light; full needs models/fba_full.onnx)
      --threads <n>         inference threads
      --models <dir>        folder holding the ONNX models
  -h, --help                show this help`;

interface FlagSpec {
  name: string;
  alias?: string;
  /** false for switches such as --help. */
  value: boolean;
}

const RENDER_FLAGS: readonly FlagSpec[] = [
  { name: 'input', alias: 'i', value: true },
  { name: 'output', alias: 'o', value: true },
  { name: 'background', alias: 'b', value: true },
  { name: 'matting', value: true },
  { name: 'quality', value: true },
  { name: 'size', value: true },
  { name: 'frames', value: true },
  { name: 'threads', value: true },
  { name: 'models', value: true },
  { name: 'help', alias: 'h', value: false },
];

/** `--name value`, `--name=value`, `-a value`; every flag at most once, no positional arguments. */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], command: string): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const long = /^--([^=]+)(?:=(.*))?$/s.exec(token);
    const short = /^-([^-])$/.exec(token);
    const spec = long ? specs.find((s) => s.name === long[1]) : short ? specs.find((s) => s.alias === short[1]) : undefined;
    if (!long && !short) throw new UsageError(`unexpected argument ${JSON.stringify(token)}; see backdrop ${command} --help`);
    if (!spec) throw new UsageError(`unknown option ${token.split('=')[0]} for ${command}; see backdrop ${command} --help`);
    if (flags.has(spec.name)) throw new UsageError(`--${spec.name} is given twice`);
    let value: string;
    if (!spec.value) {
      if (long?.[2] !== undefined) throw new UsageError(`--${spec.name} takes no value`);
      value = 'true';
    } else if (long?.[2] !== undefined) {
      value = long[2];
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next.length > 1)) throw new UsageError(`--${spec.name} needs a value`);
      value = next;
      i++;
    }
    flags.set(spec.name, value);
  }
  return flags;
}

const VIDEO_EXTENSIONS = new Set(['.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.y4m']);

/** `blur`, `blur:0.7`, `#rrggbb`, `transparent`, `none`, or a path to an image (or video) file. */
export function parseBackgroundFlag(value: string): Background {
  if (value === 'transparent' || value === 'none') return { kind: value };
  if (value === 'blur') return { kind: 'blur', strength: DEFAULT_BLUR_STRENGTH };
  const blur = /^blur:(.*)$/.exec(value);
  if (blur) {
    const strength = Number(blur[1]);
    if (blur[1].trim() === '' || !Number.isFinite(strength) || strength < 0 || strength > 1) {
      throw new UsageError(`--background blur strength must be a number in [0, 1], got ${JSON.stringify(blur[1])}`);
    }
    return { kind: 'blur', strength };
  }
  if (value.startsWith('#')) {
    try {
      return { kind: 'colour', rgb: parseHexColour(value) };
    } catch (error) {
      if (error instanceof ContractError) throw new UsageError(`--background ${error.message}`);
      throw error;
    }
  }
  if (value.length === 0) throw new UsageError('--background needs a value');
  return { kind: VIDEO_EXTENSIONS.has(extname(value).toLowerCase()) ? 'video' : 'image', path: value };
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  return value as T;
}

function positiveInt(value: string | undefined, flag: string): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${flag} must be a whole number of at least 1, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

export function parseSize(value: string | undefined): Size | null {
  if (value === undefined) return null;
  const m = /^(\d+)x(\d+)$/.exec(value);
  const width = m ? Number(m[1]) : NaN;
  const height = m ? Number(m[2]) : NaN;
  if (!(width >= 2 && width <= MAX_FRAME_WIDTH && height >= 2 && height <= MAX_FRAME_HEIGHT)) {
    throw new UsageError(`--size must be WIDTHxHEIGHT between 2x2 and ${MAX_FRAME_WIDTH}x${MAX_FRAME_HEIGHT}, got ${JSON.stringify(value)}`);
  }
  return { width, height };
}

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
      size: parseSize(flags.get('size')),
      maxFrames: positiveInt(flags.get('frames'), 'frames'),
      threads: positiveInt(flags.get('threads'), 'threads'),
      modelsDir: flags.get('models') ?? null,
    },
  };
}

const MATTE_FLAGS: readonly FlagSpec[] = [
  { name: 'image', value: true },
  { name: 'trimap', value: true },
  { name: 'output', alias: 'o', value: true },
  { name: 'matting', value: true },
  { name: 'threads', value: true },
  { name: 'models', value: true },
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
      threads: positiveInt(flags.get('threads'), 'threads'),
      modelsDir: flags.get('models') ?? null,
    },
  };
}

/** Each command parses its own flags. */
const COMMANDS: Record<string, (argv: readonly string[]) => CliCommand> = {
  render: parseRenderArgs,
  run: parseRunCommand,
  matte: parseMatteArgs,
};

export function parseCli(argv: readonly string[]): CliCommand {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError('no command given; see backdrop --help');
  if (name === '--help' || name === '-h' || name === 'help') return { command: 'help', text: USAGE };
  const parse = COMMANDS[name];
  if (!parse) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return parse(rest);
}
