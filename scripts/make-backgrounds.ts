/**
 * Draws the bundled backgrounds (resources/backgrounds/*.png) procedurally, so the project owns them
 * outright and they can be regenerated bit for bit: npx tsx scripts/make-backgrounds.ts [outDir]
 *
 * Each is 1920x1080 (cover-fitted to the frame at run time) and made of smooth shapes that PNG
 * compresses to a few hundred KB at most.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rgbaImage, type RgbaImage } from '../src/frame';
import { boxRadiusForSigma, gaussianishBlurPlane } from '../src/engine/pixels/blur';
import { encodePng } from '../src/engine/pixels/png';
import { mulberry32 } from './seeded-random';

const W = 1920;
const H = 1080;

type Rgb = [number, number, number];

/** An RGB canvas as three float planes in 0-255, so layers blend without rounding at each step. */
class Canvas {
  readonly planes = [new Float32Array(W * H), new Float32Array(W * H), new Float32Array(W * H)];

  fill(colour: (x: number, y: number) => Rgb): void {
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const c = colour(x, y);
        for (let k = 0; k < 3; k++) this.planes[k][y * W + x] = c[k];
      }
  }

  /** Mixes `colour` in with coverage `cover(x, y)` in [0, 1], over the box [x0, x1) x [y0, y1). */
  paint(x0: number, y0: number, x1: number, y1: number, colour: Rgb, cover: (x: number, y: number) => number): void {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(H, Math.ceil(y1)); y++)
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(W, Math.ceil(x1)); x++) {
        const a = cover(x, y);
        if (a <= 0) continue;
        const i = y * W + x;
        for (let k = 0; k < 3; k++) this.planes[k][i] += (colour[k] - this.planes[k][i]) * a;
      }
  }

  /** Lightens by `colour` with coverage `cover` (screen blending, as light adds up in bokeh). */
  screen(x0: number, y0: number, x1: number, y1: number, colour: Rgb, cover: (x: number, y: number) => number): void {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(H, Math.ceil(y1)); y++)
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(W, Math.ceil(x1)); x++) {
        const a = cover(x, y);
        if (a <= 0) continue;
        const i = y * W + x;
        for (let k = 0; k < 3; k++) {
          const v = this.planes[k][i];
          this.planes[k][i] = 255 - ((255 - v) * (255 - colour[k] * a)) / 255;
        }
      }
  }

  blur(sigma: number): void {
    const r = boxRadiusForSigma(sigma);
    for (const p of this.planes) gaussianishBlurPlane(p, W, H, r);
  }

  toImage(): RgbaImage {
    const img = rgbaImage(W, H);
    for (let i = 0; i < W * H; i++) {
      for (let k = 0; k < 3; k++) img.data[4 * i + k] = Math.max(0, Math.min(255, Math.round(this.planes[k][i])));
      img.data[4 * i + 3] = 255;
    }
    return img;
  }
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.max(0, Math.min(1, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

/** A sky at dusk: violet above, peach at the horizon, a low sun glowing through haze. */
function duskGradient(): RgbaImage {
  const c = new Canvas();
  const top: Rgb = [46, 42, 96];
  const middle: Rgb = [150, 96, 140];
  const bottom: Rgb = [246, 176, 128];
  c.fill((_x, y) => {
    const t = y / (H - 1);
    return t < 0.55 ? mix(top, middle, smoothstep(0, 0.55, t)) : mix(middle, bottom, smoothstep(0.55, 1, t));
  });
  const sx = 0.68 * W;
  const sy = 0.78 * H;
  c.screen(0, 0, W, H, [255, 214, 160], (x, y) => 0.85 * Math.exp(-((x - sx) ** 2 + ((y - sy) * 1.4) ** 2) / (2 * 260 ** 2)));
  c.screen(0, 0, W, H, [255, 240, 220], (x, y) => 0.6 * Math.exp(-((x - sx) ** 2 + (y - sy) ** 2) / (2 * 60 ** 2)));
  return c.toImage();
}

/** Out-of-focus city lights: soft discs of warm and cool light on a dark teal-to-navy ground. */
function eveningBokeh(): RgbaImage {
  const c = new Canvas();
  c.fill((_x, y) => mix([18, 52, 66], [22, 20, 48], smoothstep(0, 1, y / H)));
  const rnd = mulberry32(7);
  const palette: Rgb[] = [
    [255, 190, 110],
    [255, 150, 90],
    [120, 200, 255],
    [255, 225, 170],
    [200, 140, 255],
  ];
  for (let i = 0; i < 46; i++) {
    const r = 30 + 110 * rnd() ** 2;
    const cx = W * rnd();
    // Lights gather in a band below the middle, as a street scene's would.
    const cy = H * (0.35 + 0.45 * rnd());
    const colour = palette[Math.floor(rnd() * palette.length)];
    const strength = 0.18 + 0.4 * rnd();
    const edge = 0.12 * r;
    c.screen(cx - r, cy - r, cx + r, cy + r, colour, (x, y) => {
      const d = Math.hypot(x - cx, y - cy);
      // A lens's bokeh disc: flat, with a soft edge.
      return strength * (1 - smoothstep(r - edge, r, d));
    });
  }
  c.blur(2);
  return c.toImage();
}

/** A calm room, out of focus: a warm wall lit from a window on the left, a shelf, a plant, a wooden floor. */
function quietRoom(): RgbaImage {
  const c = new Canvas();
  const floorY = 0.74 * H;
  c.fill((x, y) => {
    if (y >= floorY) {
      const t = (y - floorY) / (H - floorY);
      return mix([150, 108, 78], [110, 76, 52], t);
    }
    // Window light falls off across the wall to the right and towards the floor.
    const light = 1 - 0.35 * smoothstep(0, W, x) - 0.12 * (y / floorY);
    return [236 * light, 222 * light, 200 * light];
  });
  // Skirting board.
  c.paint(0, floorY - 14, W, floorY, [246, 240, 230], () => 1);
  // Window: frame, glass with sky, two bars.
  const wx0 = 170;
  const wx1 = 640;
  const wy0 = 150;
  const wy1 = 620;
  c.paint(wx0 - 18, wy0 - 18, wx1 + 18, wy1 + 18, [250, 247, 240], () => 1);
  c.paint(wx0, wy0, wx1, wy1, [0, 0, 0], () => 0);
  for (let y = wy0; y < wy1; y++)
    for (let x = wx0; x < wx1; x++) {
      const sky = mix([190, 220, 245], [235, 242, 246], (y - wy0) / (wy1 - wy0));
      const i = y * W + x;
      for (let k = 0; k < 3; k++) c.planes[k][i] = sky[k];
    }
  c.paint((wx0 + wx1) / 2 - 8, wy0, (wx0 + wx1) / 2 + 8, wy1, [250, 247, 240], () => 1);
  c.paint(wx0, (wy0 + wy1) / 2 - 8, wx1, (wy0 + wy1) / 2 + 8, [250, 247, 240], () => 1);
  // Light on the floor below the window.
  c.screen(wx0 - 60, floorY, wx1 + 220, H, [70, 60, 40], (x, y) => {
    const t = (y - floorY) / (H - floorY);
    const left = wx0 - 60 + 120 * t;
    const right = wx1 + 40 + 180 * t;
    return smoothstep(left, left + 60, x) * (1 - smoothstep(right - 60, right, x)) * (1 - t);
  });
  // Shelf with books.
  const sx0 = 960;
  const sx1 = 1520;
  const sy = 420;
  c.paint(sx0, sy, sx1, sy + 22, [120, 86, 60], () => 1);
  c.paint(sx0 + 10, sy + 22, sx1 - 10, sy + 34, [0, 0, 0], (_x, y) => 0.18 * (1 - (y - sy - 22) / 12));
  const rnd = mulberry32(3);
  const spines: Rgb[] = [
    [120, 60, 52],
    [60, 90, 120],
    [200, 170, 110],
    [80, 110, 80],
    [170, 90, 60],
    [230, 225, 210],
  ];
  let bx = sx0 + 30;
  while (bx < sx0 + 380) {
    const bw = 24 + 22 * rnd();
    const bh = 120 + 70 * rnd();
    c.paint(bx, sy - bh, bx + bw, sy, spines[Math.floor(rnd() * spines.length)], () => 1);
    bx += bw + 3;
  }
  // A small vase on the shelf.
  c.paint(sx1 - 140, sy - 110, sx1 - 70, sy, [70, 110, 120], (x, y) => (((x - (sx1 - 105)) / 35) ** 2 + ((y - (sy - 50)) / 60) ** 2 < 1 ? 1 : 0));
  // A plant in a pot on the floor.
  const px = 1690;
  c.paint(px - 80, floorY - 150, px + 80, floorY + 30, [176, 106, 76], (x, y) => {
    const t = (y - (floorY - 150)) / 180;
    return Math.abs(x - px) < 80 - 22 * t ? 1 : 0;
  });
  for (let i = 0; i < 26; i++) {
    const angle = -Math.PI / 2 + (rnd() - 0.5) * 2.4;
    const len = 160 + 220 * rnd();
    const lx = px + Math.cos(angle) * len * 0.6;
    const ly = floorY - 150 + Math.sin(angle) * len * 0.8;
    const green = mix([52, 110, 60], [98, 150, 80], rnd());
    const rx = 70;
    const ry = 26;
    const rot = angle;
    c.paint(lx - rx, ly - rx, lx + rx, ly + rx, green, (x, y) => {
      const dx = x - lx;
      const dy = y - ly;
      const u = dx * Math.cos(rot) + dy * Math.sin(rot);
      const v = -dx * Math.sin(rot) + dy * Math.cos(rot);
      return (u / rx) ** 2 + (v / ry) ** 2 < 1 ? 1 : 0;
    });
  }
  // Depth of field: the room sits well behind the person.
  c.blur(7);
  return c.toImage();
}

const outDir = process.argv[2] ?? 'resources/backgrounds';
mkdirSync(outDir, { recursive: true });
for (const [name, draw] of [
  ['dusk-gradient', duskGradient],
  ['evening-bokeh', eveningBokeh],
  ['quiet-room', quietRoom],
] as const) {
  const png = encodePng(draw());
  writeFileSync(join(outDir, `${name}.png`), png);
  console.log(`${name}.png: ${(png.length / 1024).toFixed(0)} KB`);
}
