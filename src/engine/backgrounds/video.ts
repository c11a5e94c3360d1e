import type { RgbaImage, VideoSource } from '../../frame';
import { coverFit } from './image';
import type { BackgroundRenderer } from './renderer';

/**
 * A video playing behind the person. Decoding runs elsewhere (a host hands in a VideoSource); the
 * renderer only takes the source's current picture, so a stalled decoder holds the last frame instead of
 * holding up the camera.
 */
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
