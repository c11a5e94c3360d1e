/**
 * Matting quality on the dev set (../shared/eval/alphamatting: real photographs with ground-truth alpha)
 * through the engine's own code: `max` runs the network on the full image, as `backdrop matte` does by
 * default; the live qualities crop, scale to their pixel budget, mat and upsample, as the live app does
 * (`backdrop matte --quality q`). So the table splits what the network loses from what the reduced
 * resolution loses. Usage:
 *   npx tsx bench/dev-set.ts [--models shipped=models,new=DIR] [--qualities performance,balanced,quality,max]
 *                            [--trimaps trimap,trimap2] [--threads 2] [--out FILE.md]
 * Several model folders are scored in one run, each holding fba_light.onnx.
 */
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { floatImage, type FloatImage } from '../src/frame';
import { matteWithTrimap } from '../src/engine/matting/given-trimap';
import { createMatter } from '../src/engine/matting/matter';
import { bandOf, trimapFromImage } from '../src/engine/pixels/trimap';
import { MATTING_AREA } from '../src/engine/stages/plan';
import { decodeImage } from '../src/io/image';
import { benchmarkGradientError, connectivityError, mse, sad } from './lib/metrics';
import { SHARED_DIR } from './lib/shared-data';
import { markdownTable, option } from './lib/table';

type Quality = keyof typeof MATTING_AREA;

const argv = process.argv.slice(2);
const EVAL = join(SHARED_DIR, 'eval', 'alphamatting');
const models = option(argv, '--models', 'shipped=models').split(',').map((entry) => {
  const [name, dir] = entry.includes('=') ? entry.split('=') : [entry, entry];
  return { name, dir };
});
const qualities = option(argv, '--qualities', 'performance,balanced,quality,max').split(',') as Quality[];
for (const q of qualities) if (!(q in MATTING_AREA)) throw new Error(`--qualities: ${q} is not one of ${Object.keys(MATTING_AREA).join(', ')}`);
const trimaps = option(argv, '--trimaps', 'trimap,trimap2').split(',');
const threads = Number(option(argv, '--threads', '2'));
const out = option(argv, '--out', '');

/** The eval README's figures for the classical methods, on the same 20 images: the bar to beat. */
const REFERENCE: Record<string, Record<string, [number, number, number, number]>> = {
  trimap: { 'guided filter (eval README)': [24.39, 0.133, 0.39, 26.6], 'closed-form (eval README)': [4.94, 0.022, 0.08, 4.6], 'KNN (eval README)': [5.53, 0.026, 0.06, 5.4] },
  trimap2: { 'guided filter (eval README)': [39.8, 0.169, 0.45, 42.8], 'closed-form (eval README)': [6.93, 0.024, 0.1, 6.5], 'KNN (eval README)': [7.09, 0.029, 0.08, 6.7] },
};

function plane(rgba: { width: number; height: number; data: Uint8Array }): FloatImage {
  const p = floatImage(rgba.width, rgba.height);
  for (let i = 0; i < p.data.length; i++) p.data[i] = rgba.data[4 * i] / 255;
  return p;
}

const names = readdirSync(join(EVAL, 'image')).filter((f) => f.endsWith('.png')).sort();
const cases = await Promise.all(
  names.map(async (name) => ({
    name,
    image: await decodeImage(join(EVAL, 'image', name)),
    truth: plane(await decodeImage(join(EVAL, 'alpha', name))),
    trimaps: Object.fromEntries(await Promise.all(trimaps.map(async (t) => [t, trimapFromImage(await decodeImage(join(EVAL, t, name)))] as const))),
  })),
);

const sections: string[] = [`Dev set: ${cases.length} images of ${EVAL}; errors over each trimap's unknown pixels (SAD, Grad, Conn / 1000).`];
for (const t of trimaps) {
  const rows: string[][] = [];
  for (const { name, dir } of models) {
    const matter = await createMatter({ modelPath: join(dir, 'fba_light.onnx'), threads });
    try {
      for (const q of qualities) {
        const sums = [0, 0, 0, 0];
        const t0 = performance.now();
        for (const c of cases) {
          const trimap = c.trimaps[t];
          const alpha = await matteWithTrimap(matter, c.image, trimap, MATTING_AREA[q]);
          const band = bandOf(trimap);
          sums[0] += sad(alpha, c.truth, band);
          sums[1] += mse(alpha, c.truth, band);
          sums[2] += benchmarkGradientError(alpha, c.truth, band);
          sums[3] += connectivityError(alpha, c.truth, band);
        }
        const ms = (performance.now() - t0) / cases.length;
        const [s, m, g, k] = sums.map((v) => v / cases.length);
        rows.push([name, q, s.toFixed(2), m.toFixed(4), g.toFixed(3), k.toFixed(2), ms.toFixed(0)]);
        console.error(`${t} ${name} ${q}: SAD ${s.toFixed(2)}`);
      }
    } finally {
      await matter.dispose();
    }
  }
  for (const [label, [s, m, g, k]] of Object.entries(REFERENCE[t] ?? {})) rows.push([label, 'offline', s.toFixed(2), m.toFixed(4), g.toFixed(3), k.toFixed(2), '']);
  sections.push(`### ${t}\n\n${markdownTable(['model', 'quality', 'SAD', 'MSE', 'Grad', 'Conn', 'ms / image'], rows)}`);
}
const text = sections.join('\n\n') + '\n';
console.log(text);
if (out) await writeFile(out, text);
