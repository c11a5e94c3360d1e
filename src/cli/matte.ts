import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineFailure } from '../common/failure';
import type { FloatImage } from '../frame';
import { MATTING_MODELS } from '../engine/matting/create-refiner';
import { Session } from '../engine/session';
import { matteWithTrimap } from '../engine/matting/given-trimap';
import { createMatter } from '../engine/matting/matter';
import { MATTING_AREA } from '../engine/stages/plan';
import { trimapFromImage } from '../engine/pixels/trimap';
import { decodeImage, encodeGreyPng, ImageDecodeError, type GreyImage } from '../io/image';
import { FfmpegNotFoundError } from '../io/ffmpeg/locate';
import type { MatteOptions } from './args';
import { CommandError } from './errors';
import { checkOutputFile } from './output-file';
import { DEFAULT_MODELS_DIR, partialPath } from './render';

/** Alpha in [0, 1] as a single-channel 8-bit grey image, the way matting benchmarks store mattes. */
export function alphaToGrey(alpha: FloatImage): GreyImage {
  const data = new Uint8Array(alpha.width * alpha.height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, alpha.data[i])) * 255);
  return { width: alpha.width, height: alpha.height, data };
}

async function alphaFromTrimap(options: MatteOptions, modelsDir: string): Promise<FloatImage> {
  const [image, trimapImage] = await Promise.all([decodeImage(options.image), decodeImage(options.trimap as string)]);
  if (image.width !== trimapImage.width || image.height !== trimapImage.height) {
    throw new CommandError(`trimap ${options.trimap} is ${trimapImage.width}x${trimapImage.height}, image ${options.image} is ${image.width}x${image.height}`);
  }
  const matter = await createMatter({ modelPath: join(modelsDir, MATTING_MODELS[options.matting]), threads: options.threads ?? undefined });
  try {
    return await matteWithTrimap(matter, image, trimapFromImage(trimapImage), MATTING_AREA[options.quality]);
  } finally {
    await matter.dispose();
  }
}

async function alphaFromEngine(options: MatteOptions, modelsDir: string): Promise<FloatImage> {
  const image = await decodeImage(options.image);
  const session = await Session.create({
    modelsDir,
    config: { background: { kind: 'none' }, matting: options.matting, quality: options.quality },
    loadImage: decodeImage,
    threads: options.threads ?? undefined,
    mattingThreads: options.threads ?? undefined,
  });
  try {
    if (session.mattingIssue) throw new CommandError(`matting unavailable: ${session.mattingIssue}`);
    return (await session.matte(image)).alpha;
  } finally {
    await session.close();
  }
}

/**
 * `backdrop matte`: the alpha matte of one photo, from a given trimap (the benchmark's way) or from the
 * engine's own trimap (the app's way), written atomically as a grey PNG. Returns the closing line.
 */
export async function matte(options: MatteOptions): Promise<string> {
  await checkOutputFile(options.output, options.force);
  const modelsDir = options.modelsDir ?? DEFAULT_MODELS_DIR;
  const t0 = performance.now();
  let alpha: FloatImage;
  try {
    alpha = options.trimap ? await alphaFromTrimap(options, modelsDir) : await alphaFromEngine(options, modelsDir);
  } catch (error) {
    if (error instanceof EngineFailure || error instanceof ImageDecodeError || error instanceof FfmpegNotFoundError) throw new CommandError(error.message);
    throw error;
  }
  const ms = performance.now() - t0;
  const temp = `${partialPath(options.output)}.png`;
  try {
    await encodeGreyPng(alphaToGrey(alpha), temp);
    await rename(temp, options.output);
  } catch (error) {
    await rm(temp, { force: true });
    throw new CommandError(`cannot write ${options.output}: ${(error as Error).message}`);
  }
  const source = options.trimap ? `trimap ${options.trimap}` : "the engine's trimap";
  return `backdrop: wrote ${options.output} (${alpha.width}x${alpha.height}, ${options.matting} FBA at quality ${options.quality} from ${source}, ${Math.round(ms)} ms)`;
}
