/**
 * Flag parsing shared by every command (render, matte, run): the one place both cli/args.ts and
 * cli/run/args.ts read it from, so neither imports the other's command.
 */
import { extname } from 'node:path';
import { ContractError, MAX_FRAME_HEIGHT, MAX_FRAME_WIDTH, parseHexColour, type Background, type PeopleMode } from '../common/contract';
import type { Size } from '../io/ffmpeg/args';
import { CSS_COLOUR_NAMES } from './colour-names';
import { UsageError } from './errors';

export const DEFAULT_BLUR_STRENGTH = 0.5;

/** --people: 'pick' needs clicks on a preview, which a command line has none of. */
export const PEOPLE_FLAG_MODES: readonly PeopleMode[] = ['all', 'main'];

export interface FlagSpec {
  name: string;
  alias?: string;
  /** false for switches such as --help. */
  value: boolean;
}


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
      // A negative number is a value (refused later as not positive, with the reason), not a flag.
      if (next === undefined || (next.startsWith('-') && next.length > 1 && !/^-\d/.test(next))) throw new UsageError(`--${spec.name} needs a value`);
      value = next;
      i++;
    }
    flags.set(spec.name, value);
  }
  return flags;
}

const VIDEO_EXTENSIONS = new Set(['.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.y4m']);

/** `blur`, `blur:0.7`, `#rrggbb`, `#rgb`, a CSS colour name, `transparent`, `none`, or a path to an image (or video) file. */
export function parseBackgroundFlag(value: string): Background {
  if (value === 'transparent' || value === 'none') return { kind: value };
  if (Object.hasOwn(CSS_COLOUR_NAMES, value.toLowerCase())) return { kind: 'colour', rgb: parseHexColour(CSS_COLOUR_NAMES[value.toLowerCase()]) };
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(value);
  if (short) value = `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
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
      if (error instanceof ContractError) throw new UsageError(`--background colour must be #rrggbb, #rgb or a CSS colour name (red, navy, ...); got ${JSON.stringify(value)}`);
      throw error;
    }
  }
  if (value.length === 0) throw new UsageError('--background needs a value');
  return { kind: VIDEO_EXTENSIONS.has(extname(value).toLowerCase()) ? 'video' : 'image', path: value };
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  return value as T;
}

export function positiveInt(value: string | undefined, flag: string): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${flag} must be a positive whole number (1 or more), got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** A week: longer is a typo, and a timer that long overflows. */
export const MAX_DURATION_SEC = 7 * 24 * 3600;

export function positiveNumber(value: string | undefined, flag: string, max: number): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) throw new UsageError(`--${flag} must be a positive number, at most ${max}; got ${JSON.stringify(value)}`);
  return n;
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

