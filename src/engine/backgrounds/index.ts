import type { Background } from '../../common/contract';
import { EngineFailure } from '../../common/failure';
import type { BackgroundRenderer } from './renderer';
import type { RgbaImage, VideoSource } from '../../frame';
import { blurBackground } from './blur';
import { colourBackground } from './colour';
import { imageBackground } from './image';
import { videoBackground } from './video';

/**
 * The renderer for a contract Background; kind 'image' needs the picture already decoded, kind 'video'
 * an opened source.
 */
export function createBackgroundRenderer(spec: Background, image?: RgbaImage, video?: VideoSource): BackgroundRenderer {
  switch (spec.kind) {
    case 'none':
      // The frame behind itself: the composite is the frame, with matting's foreground colours if any.
      return { render: (frame) => frame };
    case 'transparent':
      return { render: () => null };
    case 'colour':
      return colourBackground(spec.rgb);
    case 'blur':
      return blurBackground(spec.strength);
    case 'image':
      if (!image) throw new EngineFailure('background-unreadable', `background image ${spec.path} was not decoded`);
      return imageBackground(image);
    case 'video':
      if (!video) throw new EngineFailure('background-unreadable', `background video ${spec.path} was not opened`);
      return videoBackground(video);
  }
}

export { blurBackground } from './blur';
export { colourBackground } from './colour';
export { coverFit, imageBackground } from './image';
export { videoBackground } from './video';
export type { BackgroundRenderer } from './renderer';
