import type { FloatImage, RgbaImage } from '../../frame';
import type { StretchedImage } from '../pixels/resize';

/**
 * What goes behind the person. `render` returns the background for this frame at the frame's size, or
 * null for a transparent output. The image it returns may be reused by the next call: composite it
 * before rendering again.
 */
export interface BackgroundRenderer {
  render(frame: RgbaImage, alpha: FloatImage): RgbaImage | null;
  /**
   * The same background as a small picture upsampled while it is composited (the blur's, made at a
   * fraction of the frame's size), where the renderer has one: the compositor then reads it only where
   * the person does not cover it. Valid until the next call.
   */
  renderStretched?(frame: RgbaImage, alpha: FloatImage): StretchedImage;
  /** Offline: moves a video background on by one output frame. */
  advance?(): Promise<void>;
  /** Releases what the background holds open (a video's decoder). */
  close?(): Promise<void>;
}
