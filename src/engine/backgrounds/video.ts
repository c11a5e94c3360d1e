import type { RgbaImage } from '../../frame';
import { coverFit } from './image';
import type { BackgroundRenderer } from './index';

/**
 * A video playing behind the person. Decoding runs elsewhere (an ffmpeg child feeding `VideoSource`);
 * the renderer only takes the source's current picture, so a stalled decoder holds the last frame
 * instead of holding up the camera.
 */
export interface VideoSource {
  /** The frame due now, or the last one decoded when decoding has fallen behind. */
  current(): RgbaImage;
  /** Offline sources step one frame per output frame; live ones follow the clock and have no advance. */
  advance?(): Promise<void>;
  close(): Promise<void>;
}

export function videoBackground(source: VideoSource): BackgroundRenderer {
  let fitted: RgbaImage | null = null;
  let fittedFrom: RgbaImage | null = null;
  return {
    render(frame) {
      const picture = source.current();
      if (picture !== fittedFrom || !fitted || fitted.width !== frame.width || fitted.height !== frame.height) {
        fitted = picture.width === frame.width && picture.height === frame.height ? picture : coverFit(picture, frame.width, frame.height);
        fittedFrom = picture;
      }
      return fitted;
    },
    advance: source.advance ? () => source.advance!() : undefined,
    close: () => source.close(),
  };
}

/**
 * Which frame of a looping video is due `elapsedMs` after it started, at `fps`, for a video of
 * `frameCount` frames (unknown: null, no wrap). Pure; the pacing of the looping decoder rests on it.
 */
export function dueFrame(elapsedMs: number, fps: number, frameCount: number | null): number {
  const index = Math.floor((Math.max(0, elapsedMs) * fps) / 1000);
  return frameCount && frameCount > 0 ? index % frameCount : index;
}
