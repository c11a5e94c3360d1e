/**
 * Speed of the light FBA model with onnxruntime-node on the CPU, at the engine's matting size (320x192).
 * Prints median and p90 ms per call for each intra-op thread count. Usage:
 *   npx tsx bench/fba-speed.ts [model.onnx ...] [--runs N] [--threads 1,2]
 * With several models, their calls are interleaved (one call of each in turn), so a shared machine's drift
 * hits them alike, and each gets its median as a ratio to the first model's.
 */
import * as ort from 'onnxruntime-node';
import { existsSync } from 'node:fs';

const WIDTH = 320;
const HEIGHT = 192;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Inputs shaped like a real frame's encoding: a trimap with background, foreground and an unknown band. */
function inputs(): Record<string, ort.Tensor> {
  const n = WIDTH * HEIGHT;
  const image = new Float32Array(3 * n);
  const imageN = new Float32Array(3 * n);
  const trimap2 = new Float32Array(2 * n);
  const trimap6 = new Float32Array(6 * n);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const i = y * WIDTH + x;
      const r = Math.hypot(x - WIDTH / 2, y - HEIGHT / 2);
      for (let c = 0; c < 3; c++) {
        image[c * n + i] = ((x * (c + 1) + y) % 256) / 255;
        imageN[c * n + i] = (image[c * n + i] - 0.45) / 0.225;
      }
      trimap2[i] = r > 80 ? 1 : 0;
      trimap2[n + i] = r < 60 ? 1 : 0;
      for (let c = 0; c < 6; c++) trimap6[c * n + i] = Math.exp(-Math.abs(r - 70) / (5 * (c + 1)));
    }
  }
  const t = (data: Float32Array, c: number) => new ort.Tensor('float32', data, [1, c, HEIGHT, WIDTH]);
  return { image: t(image, 3), trimap2: t(trimap2, 2), image_n: t(imageN, 3), trimap6: t(trimap6, 6) };
}

async function main(): Promise<void> {
  const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const models = positional.length ? positional : ['models/fba_light.onnx'];
  for (const model of models) if (!existsSync(model)) throw new Error(`model not found: ${model} (export it with training/export.py)`);
  const runs = Number(option('--runs', '50'));
  const threads = option('--threads', '1,2').split(',').map(Number);
  const feeds = inputs();
  console.log(`${WIDTH}x${HEIGHT}, onnxruntime-node CPU, graphOptimizationLevel all, ${runs} interleaved runs each`);
  console.log('| model | intra-op threads | median ms | p90 ms | min ms | median / first |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const t of threads) {
    const sessions = await Promise.all(models.map((model) => ort.InferenceSession.create(model, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: t,
      interOpNumThreads: 1,
    })));
    for (const session of sessions) for (let i = 0; i < 5; i++) await session.run(feeds);
    const ms: number[][] = models.map(() => []);
    for (let i = 0; i < runs; i++) {
      for (let m = 0; m < sessions.length; m++) {
        const t0 = performance.now();
        await sessions[m].run(feeds);
        ms[m].push(performance.now() - t0);
      }
    }
    const medians = ms.map((list) => quantile(list.sort((a, b) => a - b), 0.5));
    models.forEach((model, m) => {
      const list = ms[m];
      console.log(`| ${model} | ${t} | ${medians[m].toFixed(2)} | ${quantile(list, 0.9).toFixed(2)} | ${list[0].toFixed(2)} | ${(medians[m] / medians[0]).toFixed(2)} |`);
    });
    for (const session of sessions) await session.release();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
