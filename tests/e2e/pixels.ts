import type { Page } from '@playwright/test';

export type Rgb = [number, number, number];

/** Points in the 640x360 fake camera frame (the astronaut photo scaled by 1.25, top 360 rows). */
export const BACKGROUND_POINTS = [
  { x: 430, y: 50 }, // grey backdrop between her hair and the shuttle
  { x: 610, y: 20 }, // top right corner
];
export const PERSON_POINTS = [
  { x: 255, y: 160 }, // cheek
  { x: 100, y: 330 }, // orange suit, left shoulder
];

/** Mean colour of a (2r+1)² patch of the preview canvas: the engine's output as drawn. */
export function previewColour(page: Page, at: { x: number; y: number }, r = 2): Promise<Rgb> {
  return page.evaluate(
    ({ x, y, r }) => {
      const canvas = document.querySelector('[data-testid=preview]') as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(x - r, y - r, 2 * r + 1, 2 * r + 1).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
      const n = data.length / 4;
      return sum.map((s) => Math.round(s / n)) as [number, number, number];
    },
    { ...at, r },
  );
}

/** Mean colour of the same patch of the camera view (the <video> the before/after toggle shows). */
export function cameraColour(page: Page, at: { x: number; y: number }, r = 2): Promise<Rgb> {
  return page.evaluate(
    ({ x, y, r }) => {
      const video = document.querySelector('[data-testid=camera-view]') as HTMLVideoElement;
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(video, 0, 0);
      const data = ctx.getImageData(x - r, y - r, 2 * r + 1, 2 * r + 1).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
      const n = data.length / 4;
      return sum.map((s) => Math.round(s / n)) as [number, number, number];
    },
    { ...at, r },
  );
}

/** Largest per-channel difference. */
export function distance(a: Rgb, b: Rgb): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}
