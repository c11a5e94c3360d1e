/**
 * Runs one peer in a worker thread and serves the part of the engine contract the real-time benchmark
 * speaks ('start' -> 'ready', 'frame' -> 'output', 'stop' -> 'stopped', 'error'), so a peer is played
 * exactly as Backdrop's engine is: its own thread, the same newest-wins frame policy (src/engine/pipeline.ts,
 * inference as one stage and post-processing plus compositing as the next), the same composite over a
 * colour. It adds one message the engine does not send: 'stages', the stage times of each output.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseToEngine, transferablesOf, type FromEngine, type StageName } from '../../src/common/contract';
import { floatImage, rgbaImage, type FloatImage, type RgbaImage } from '../../src/frame';
import { LatestWinsPipeline, Stages } from '../../src/engine/pipeline';
import { composite } from '../../src/engine/stages/composite';
import { ContestantUnavailable, type Contestant } from './contestant';
import { isPeerId, peerContestant } from './index';

export interface PeerStagesMessage {
  type: 'stages';
  id: number;
  stagesMs: Partial<Record<StageName, number>>;
}

interface Job {
  id: number;
  timestamp: number;
  image: RgbaImage;
  alpha?: FloatImage;
  stagesMs?: Partial<Record<StageName, number>>;
}

function serve(port: NonNullable<typeof parentPort>, contestant: Contestant): void {
  const post = (msg: FromEngine | PeerStagesMessage) => port.postMessage(msg, msg.type === 'stages' ? [] : transferablesOf(msg));
  const fail = (error: unknown) =>
    post({
      type: 'error',
      error: {
        code: error instanceof ContestantUnavailable ? 'model-load-failed' : 'internal',
        message: error instanceof Error ? error.message : String(error),
      },
    });
  let ready = false;
  let background: RgbaImage | null = null;
  const pipeline = new LatestWinsPipeline<Job, Job>(
    Stages.first<Job, Job>({
      name: 'segment',
      run: async (job) => {
        const alpha = await contestant.alpha(job.image, job.id);
        return { ...job, alpha, stagesMs: { ...contestant.lastStagesMs } };
      },
    }).then<Job>({
      name: 'composite',
      run: async (job) => {
        const { width, height } = job.image;
        if (!background || background.width !== width || background.height !== height) {
          background = rgbaImage(width, height);
          // RGBA 0, 255, 0, 255 read as one little-endian 32-bit word.
          new Uint32Array(background.data.buffer).fill(0xff00ff00);
        }
        const t0 = performance.now();
        const out = new Uint8Array(width * height * 4);
        composite(job.image, { alpha: job.alpha ?? floatImage(width, height), foreground: null }, background, out);
        const stagesMs = { ...job.stagesMs, composite: performance.now() - t0 };
        post({ type: 'stages', id: job.id, stagesMs });
        return { ...job, image: { width, height, data: out } };
      },
    }),
    {
      output: (job) =>
        post({
          type: 'output',
          id: job.id,
          width: job.image.width,
          height: job.image.height,
          timestamp: job.timestamp,
          pixels: job.image.data.buffer as ArrayBuffer,
        }),
      dropped: () => {},
      failed: fail,
    },
  );

  port.on('message', (data: unknown) => {
    let msg;
    try {
      msg = parseToEngine(data);
    } catch (error) {
      post({ type: 'error', error: { code: 'bad-message', message: (error as Error).message } });
      return;
    }
    switch (msg.type) {
      case 'start':
        contestant.prepare().then(
          () => {
            ready = true;
            post({ type: 'ready', provider: 'cpu' });
          },
          fail,
        );
        return;
      case 'frame':
        if (!ready) return;
        pipeline.push({ id: msg.id, timestamp: msg.timestamp, image: { width: msg.width, height: msg.height, data: new Uint8Array(msg.pixels) } });
        return;
      case 'stop':
        contestant.close().then(() => post({ type: 'stopped' }), fail);
        return;
      default:
        return;
    }
  });
}

const data = workerData as { peer?: string; threads?: number } | null;
if (parentPort && data?.peer) {
  if (!isPeerId(data.peer)) throw new Error(`unknown peer ${JSON.stringify(data.peer)}`);
  serve(parentPort, peerContestant(data.peer, data.threads));
}
