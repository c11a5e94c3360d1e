import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Auto's measurements, kept per machine and model version in the user's cache folder: timing three sizes
 * of the matting network takes a second or two at every start, and the answer only changes with the
 * machine, the model file, the provider or the thread count. A cache that cannot be read or written
 * costs a measurement, never a start.
 */

export type MeasuredQuality = 'performance' | 'balanced' | 'quality';
export type QualityTimes = Partial<Record<MeasuredQuality, number>>;

export interface AutoCacheKey {
  /** Hash of the model file's bytes: a retrained model is another model. */
  model: string;
  cpu: string;
  cores: number;
  provider: string;
  threads: number;
}

const FILE = 'auto-quality.json';
/** Entries kept; the oldest go first (a machine sees few models and settings). */
const LIMIT = 32;

/** One string per key, the same for equal keys whatever their field order. Pure. */
export function autoCacheKeyString(key: AutoCacheKey): string {
  return [key.model, key.cpu, key.cores, key.provider, key.threads].join('|');
}

export function modelHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
}

export function machineKey(model: string, provider: string, threads: number): AutoCacheKey {
  const list = cpus();
  return { model, cpu: list[0]?.model ?? 'unknown', cores: list.length, provider, threads };
}

interface CacheFile {
  entries: { key: string; ms: QualityTimes; at: number }[];
}

function parseTimes(x: unknown): QualityTimes | null {
  if (typeof x !== 'object' || x === null) return null;
  const out: QualityTimes = {};
  for (const q of ['performance', 'balanced', 'quality'] as const) {
    const v = (x as Record<string, unknown>)[q];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return null;
    out[q] = v;
  }
  return Object.keys(out).length ? out : null;
}

function readFile(dir: string): CacheFile {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as unknown;
    const entries = (parsed as CacheFile | null)?.entries;
    if (!Array.isArray(entries)) return { entries: [] };
    return {
      entries: entries.flatMap((e) => {
        const ms = parseTimes((e as { ms?: unknown })?.ms);
        const key = (e as { key?: unknown })?.key;
        const at = (e as { at?: unknown })?.at;
        return ms && typeof key === 'string' && typeof at === 'number' ? [{ key, ms, at }] : [];
      }),
    };
  } catch {
    return { entries: [] };
  }
}

/** The times measured before for this key, or null. */
export function readAutoCache(dir: string, key: AutoCacheKey): QualityTimes | null {
  const wanted = autoCacheKeyString(key);
  return readFile(dir).entries.find((e) => e.key === wanted)?.ms ?? null;
}

/** Stores the times for this key; false when the folder cannot be written (the next start measures again). */
export function writeAutoCache(dir: string, key: AutoCacheKey, ms: QualityTimes, now = Date.now()): boolean {
  const wanted = autoCacheKeyString(key);
  const entries = readFile(dir).entries.filter((e) => e.key !== wanted);
  entries.push({ key: wanted, ms, at: now });
  entries.sort((a, b) => b.at - a.at);
  const path = join(dir, FILE);
  try {
    mkdirSync(dirname(path), { recursive: true });
    // Written aside and renamed, so a second engine starting at the same moment never reads half a file.
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ entries: entries.slice(0, LIMIT) } satisfies CacheFile));
    renameSync(temp, path);
    return true;
  } catch {
    return false;
  }
}
