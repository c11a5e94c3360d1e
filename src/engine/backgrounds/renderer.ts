import type { FloatImage, RgbaImage } from '../../frame';

/**
 * What goes behind the person. `render` returns the background for this frame at the frame's size, or
 * null for a transparent output. The image it returns may be reused by the next call: composite it
 * before rendering again.
 */
export interface BackgroundRenderer {
  render(frame: RgbaImage, alpha: FloatImage): RgbaImage | null;
  /** Offline: moves a video background on by one output frame. */
  advance?(): Promise<void>;
  /** Releases what the background holds open (a video's decoder). */
  close?(): Promise<void>;
}
