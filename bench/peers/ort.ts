import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { createOrtSession, ModelLoadError, type Warmup } from '../../src/engine/models/providers';
import { ContestantUnavailable } from './contestant';

import { SHARED_DIR } from '../lib/shared-data';

export { SHARED_DIR };
export const PEERS_DIR = join(SHARED_DIR, 'peers');
/** Derived files (unpacked and converted peer models, decoded frames, keyed mattes); git-ignored. */
export const CACHE_DIR = resolve(process.env.BACKDROP_BENCH_CACHE ?? '.cache/bench');

export interface PeerSession {
  session: ort.InferenceSession;
  provider: string;
}

/**
 * Opens a peer model through the engine's provider helper, CPU only so that every contestant runs on
 * the same footing, with onnxruntime's graph warnings silenced (SINet's export lists its weights as
 * inputs and onnxruntime says so once per weight).
 */
export async function openPeerSession(name: string, path: string, threads: number, warmup?: Warmup): Promise<PeerSession> {
  if (!existsSync(path)) throw new ContestantUnavailable(name, `model file ${path} is missing`);
  try {
    const { session, provider } = await createOrtSession(path, {
      threads,
      providers: ['cpu'],
      warmup,
      create: (p, options) => ort.InferenceSession.create(p, { ...options, logSeverityLevel: 3 }),
    });
    return { session, provider };
  } catch (error) {
    if (error instanceof ModelLoadError) throw new ContestantUnavailable(name, error.message);
    throw error;
  }
}

/** Interleaves planar RGB (what resizeRgbaToRgbFloat gives) into NHWC, scaling each value by `scale`. */
export function planarToNhwc(planar: Float32Array, pixels: number, out: Float32Array, scale = 1): Float32Array {
  for (let i = 0; i < pixels; i++) {
    out[i * 3] = planar[i] * scale;
    out[i * 3 + 1] = planar[pixels + i] * scale;
    out[i * 3 + 2] = planar[2 * pixels + i] * scale;
  }
  return out;
}
