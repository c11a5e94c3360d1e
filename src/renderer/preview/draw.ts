/** Puts an engine output frame on a canvas, resizing the canvas to the frame when it changes. */
export function drawFrame(canvas: HTMLCanvasElement, frame: { width: number; height: number; pixels: ArrayBuffer }): void {
  if (canvas.width !== frame.width) canvas.width = frame.width;
  if (canvas.height !== frame.height) canvas.height = frame.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(new Uint8ClampedArray(frame.pixels), frame.width, frame.height), 0, 0);
}
