import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { FfmpegChild } from '../../io/ffmpeg/supervisor';
import { finaliseArgs } from './args';
import { RecorderError } from './errors';

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Rewrites the fragmented recording as a normal MP4 next to it (stream copy, seconds for an hour), then
 * moves it into place and removes the fragmented one. The fragmented file is only removed once the
 * finished one is complete, so a failure here never loses the recording.
 */
export async function finaliseRecording(ffmpegPath: string, partial: string, final: string, durationSec?: number): Promise<void> {
  const temp = `${final}.finalising`;
  try {
    await FfmpegChild.start({ ffmpegPath, args: finaliseArgs(partial, temp, durationSec) }).finish();
    renameSync(temp, final);
  } catch (error) {
    rmSync(temp, { force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new RecorderError('finalise-failed', `Could not turn the recording into a seekable MP4 (${detail}); the recording itself is kept.`, detail, partial);
  }
  rmSync(partial, { force: true });
}

/**
 * After a failure: finalise what was recorded if possible, else keep the fragmented file (which plays,
 * only seeking is slower) under the final name. Returns where the recording is, or null when nothing
 * was written at all.
 */
export async function salvageRecording(ffmpegPath: string, partial: string, final: string): Promise<string | null> {
  if (!existsSync(partial) || sizeOf(partial) === 0) {
    rmSync(partial, { force: true });
    return null;
  }
  try {
    await finaliseRecording(ffmpegPath, partial, final);
  } catch {
    // A full disk has no room for a second copy; a rename needs none.
    renameSync(partial, final);
  }
  return final;
}
