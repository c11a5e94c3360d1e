import { MAX_FRAME_HEIGHT, MAX_FRAME_WIDTH } from '../../common/contract';
import type { Size } from '../../io/ffmpeg/args';
import { readY4mHeader } from '../../io/y4m';
import { CommandError } from '../errors';
import type { CameraSpec } from './camera';

/**
 * Whether the engine can take a camera's frames, told before the engine starts where that costs no probe:
 * stopping the engine while onnxruntime loads a model takes as long as the load, and ending its thread
 * then aborts the process. Kept apart from camera.ts so that checking loads nothing of ffmpeg's.
 */

/**
 * The size a camera's frames get, or the CommandError that says why the engine cannot take them. H.264
 * 4:2:0 and YUYV both need even sizes, so the camera is scaled to the even size just below its own.
 */
export function frameSizeFor(camera: string, size: Size): Size {
  const width = size.width - (size.width % 2);
  const height = size.height - (size.height % 2);
  if (width > MAX_FRAME_WIDTH || height > MAX_FRAME_HEIGHT) {
    throw new CommandError(
      `--camera ${camera} is ${size.width}x${size.height}, larger than the engine takes (${MAX_FRAME_WIDTH}x${MAX_FRAME_HEIGHT}); ask for a smaller size with --size 1920x1080`,
    );
  }
  if (width < 2 || height < 2) throw new CommandError(`--camera ${camera} is ${size.width}x${size.height}, too small`);
  return { width, height };
}

/**
 * The camera's size where it is known without probing, in a millisecond: --size (every frame is scaled to
 * it) or a .y4m file's header line. Null where only the probe tells: a device without --size (its frames
 * get the default size, which fits), any other file, and a .y4m that cannot be read or whose header is
 * odd (the probe then says what is wrong, or plays it).
 */
export async function sizeWithoutProbe(spec: CameraSpec, size: Size | null): Promise<Size | null> {
  if (size !== null) return size;
  if (spec.kind !== 'file' || !/\.y4m$/i.test(spec.path)) return null;
  try {
    const { width, height } = await readY4mHeader(spec.path);
    return { width, height };
  } catch {
    return null;
  }
}

/** Refuses, before anything starts, a camera whose size is known without a probe and that the engine cannot take. */
export async function checkCameraSizeUpFront(spec: CameraSpec, size: Size | null): Promise<void> {
  const known = await sizeWithoutProbe(spec, size);
  if (known !== null) frameSizeFor(spec.path, known);
}
