import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { floatImage, type RgbaImage } from '../../src/frame';
import type { Warmup } from '../../src/engine/models/providers';
import { ContestantUnavailable, StageClock, type Contestant } from './contestant';
import { CACHE_DIR, openPeerSession, PEERS_DIR, type PeerSession } from './ort';

/**
 * Robust Video Matting, MobileNetV3 (Lin et al. 2021), as the authors' TF.js export converted to ONNX
 * (see ../shared/peers/README.md): the whole frame in at full size as NHWC RGB in [0, 1]; the network
 * itself works at `downsample_ratio` of it and refines back to full size. Its four recurrent states start
 * as scalar zeros and are fed back frame to frame, which is where its temporal stability comes from.
 */

const ARCHIVE = join(PEERS_DIR, 'rvm-mobilenetv3-onnx', 'rvm_mobilenetv3_tfjs-uint8_dynamic_nhwc.onnx.xz');
const MODEL = join(CACHE_DIR, 'peers', 'rvm_mobilenetv3_tfjs-uint8_dynamic_nhwc.onnx');
const STATES = ['r1', 'r2', 'r3', 'r4'] as const;

/** The authors' advice (peers README): about 0.25 for HD, 0.4 for 512-720 px frames. */
export function rvmDownsampleRatio(width: number, height: number): number {
  return Math.max(width, height) > 720 ? 0.25 : 0.4;
}

/** Unpacks the xz archive once into the cache (xz -dk keeps the shared original untouched). */
function unpackedModel(name: string): string {
  if (existsSync(MODEL)) return MODEL;
  if (!existsSync(ARCHIVE)) throw new ContestantUnavailable(name, `${ARCHIVE} is missing`);
  mkdirSync(join(CACHE_DIR, 'peers'), { recursive: true });
  const partial = `${MODEL}.partial`;
  try {
    execFileSync('sh', ['-c', 'xz -dc "$1" > "$2"', 'sh', ARCHIVE, partial], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new ContestantUnavailable(name, `cannot unpack ${ARCHIVE} with xz: ${(error as Error).message.split('\n')[0]}`);
  }
  renameSync(partial, MODEL);
  return MODEL;
}

const scalar = (v: number) => new ort.Tensor('float32', Float32Array.of(v), []);

/** A first run on a small frame with fresh states (the default warm-up's sizes do not fit this graph). */
const rvmWarmup: Warmup = async (session) => {
  const feeds: Record<string, ort.Tensor> = {
    src: new ort.Tensor('float32', new Float32Array(64 * 64 * 3), [1, 64, 64, 3]),
    downsample_ratio: scalar(0.25),
  };
  for (const s of STATES) feeds[`${s}i`] = scalar(0);
  await session.run(feeds);
};

export function rvmContestant(threads = 2, ratio?: number): Contestant {
  const name = ratio === undefined ? 'RVM-mbv3' : `RVM-mbv3 (ratio ${ratio})`;
  const clock = new StageClock();
  let peer: PeerSession | null = null;
  let states: Record<string, ort.Tensor> | null = null;
  let src = new Float32Array(0);

  return {
    name,
    detail: `Robust Video Matting MobileNetV3, authors' TF.js weights (uint8), converted to ONNX; full frame in, downsample ratio ${ratio ?? '0.25 at 1280x720, 0.4 at 640x360'}, recurrent states fed back, ${threads} thread(s)`,
    get lastStagesMs() {
      return clock.stagesMs;
    },
    async prepare() {
      peer ??= await openPeerSession(name, unpackedModel(name), threads, rvmWarmup);
    },
    async alpha(frame: RgbaImage) {
      if (!peer) throw new Error(`${name}: prepare() was not called`);
      const session = peer.session;
      clock.start();
      const { width, height } = frame;
      const n = width * height;
      // States hold features of the previous frame's size; a new size starts afresh.
      if (src.length !== n * 3) states = null;
      const pha = await clock.timeAsync('matte', async () => {
        if (src.length !== n * 3) src = new Float32Array(n * 3);
        const d = frame.data;
        for (let i = 0, p = 0; i < n; i++, p += 4) {
          src[i * 3] = d[p] / 255;
          src[i * 3 + 1] = d[p + 1] / 255;
          src[i * 3 + 2] = d[p + 2] / 255;
        }
        const feeds: Record<string, ort.Tensor> = {
          src: new ort.Tensor('float32', src, [1, height, width, 3]),
          downsample_ratio: scalar(ratio ?? rvmDownsampleRatio(width, height)),
        };
        for (const s of STATES) feeds[`${s}i`] = states?.[`${s}o`] ?? scalar(0);
        const out = await session.run(feeds);
        states = {};
        for (const s of STATES) states[`${s}o`] = out[`${s}o`];
        return out.pha.data as Float32Array;
      });
      if (pha.length !== n) throw new Error(`${name}: pha holds ${pha.length} values for a ${width}x${height} frame`);
      return floatImage(width, height, pha);
    },
    async reset() {
      states = null;
    },
    async close() {
      await peer?.session.release();
      peer = null;
      states = null;
    },
  };
}
