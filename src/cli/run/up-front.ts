import { checkCameraDevice } from '../cameras';
import { checkOutputFile } from '../output-file';
import { checkCameraSizeUpFront } from './camera-size';
import type { RunOptions } from './args';

/**
 * What is wrong with a run that a glance tells, before its engine starts: a camera the engine cannot take
 * (by --size or a .y4m header), a camera device that is not there, a recording into a missing folder or
 * over a file. Each costs a stat or a header read, where finding it later costs the engine's start and its
 * stop (and ending the engine's thread while onnxruntime makes a model there aborts the process).
 */
export async function checkRunUpFront(options: RunOptions): Promise<void> {
  await checkCameraSizeUpFront(options.camera, options.size);
  if (options.camera.kind === 'device') await checkCameraDevice(options.camera.path);
  if (options.record !== null) await checkOutputFile(options.record, options.force, '--record');
}
