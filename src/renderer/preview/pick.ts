/**
 * Where a click on the preview lands in the frame. The picture is drawn with object-fit: contain, so it
 * sits centred in its box with bars on two sides, and the mirror (a CSS flip of the whole box) shows the
 * frame's right edge on the left. The engine takes points normalised to the unmirrored frame.
 */

export interface Size {
  width: number;
  height: number;
}

/**
 * `at`: the click relative to the box's top-left corner, in the same units as `box`; `frame`: the
 * picture's own size (only its aspect matters). Null for a click on the bars, or before a frame came.
 */
export function previewPointToFrame(at: { x: number; y: number }, box: Size, frame: Size, mirrored: boolean): { x: number; y: number } | null {
  if (!(box.width > 0 && box.height > 0 && frame.width > 0 && frame.height > 0)) return null;
  const scale = Math.min(box.width / frame.width, box.height / frame.height);
  const shownWidth = frame.width * scale;
  const shownHeight = frame.height * scale;
  const x = (at.x - (box.width - shownWidth) / 2) / shownWidth;
  const y = (at.y - (box.height - shownHeight) / 2) / shownHeight;
  if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) return null;
  return { x: mirrored ? 1 - x : x, y };
}
