import { rgbaImage, type RgbaImage } from '../../frame';

/**
 * The still "camera paused" picture the virtual camera shows while the real camera is paused or lost:
 * same size as the live output, so consumers never see the device change format or vanish, and clearly
 * not a frozen frame of the user. Drawn from a built-in 5x7 bitmap font so it needs no font files.
 */

const GLYPH_W = 5;
const GLYPH_H = 7;

const FONT: Record<string, readonly string[]> = {
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  C: ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
  D: ['####.', '#...#', '#...#', '#...#', '#...#', '#...#', '####.'],
  E: ['#####', '#....', '#....', '####.', '#....', '#....', '#####'],
  M: ['#...#', '##.##', '#.#.#', '#.#.#', '#...#', '#...#', '#...#'],
  P: ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
  R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
  S: ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
  U: ['#...#', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  ' ': ['.....', '.....', '.....', '.....', '.....', '.....', '.....'],
};

export interface Mask {
  width: number;
  height: number;
  /** 1 where ink, 0 elsewhere. */
  data: Uint8Array;
}

/** Text in the built-in font, each font pixel a scale x scale block, one blank column between letters. */
export function renderText(text: string, scale: number): Mask {
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`text scale must be a positive integer, got ${scale}`);
  const glyphs = [...text].map((ch) => {
    const glyph = FONT[ch];
    if (!glyph) throw new RangeError(`the slate font has no glyph for ${JSON.stringify(ch)}`);
    return glyph;
  });
  const cols = glyphs.length * (GLYPH_W + 1) - 1;
  const width = Math.max(0, cols) * scale;
  const height = GLYPH_H * scale;
  const data = new Uint8Array(width * height);
  glyphs.forEach((glyph, g) => {
    for (let gy = 0; gy < GLYPH_H; gy++) {
      for (let gx = 0; gx < GLYPH_W; gx++) {
        if (glyph[gy][gx] !== '#') continue;
        const x0 = (g * (GLYPH_W + 1) + gx) * scale;
        for (let y = gy * scale; y < (gy + 1) * scale; y++) data.fill(1, y * width + x0, y * width + x0 + scale);
      }
    }
  });
  return { width, height, data };
}

const BACKGROUND = [32, 36, 40] as const;
const INK = [200, 204, 208] as const;
export const SLATE_TEXT = 'CAMERA PAUSED';

function fillRect(img: RgbaImage, x0: number, y0: number, w: number, h: number, rgb: readonly number[]): void {
  for (let y = Math.max(0, y0); y < Math.min(img.height, y0 + h); y++) {
    for (let x = Math.max(0, x0); x < Math.min(img.width, x0 + w); x++) {
      const i = (y * img.width + x) * 4;
      img.data[i] = rgb[0];
      img.data[i + 1] = rgb[1];
      img.data[i + 2] = rgb[2];
    }
  }
}

/**
 * The slate at width x height: a dark field, a pause sign and "CAMERA PAUSED" under it, centred. The
 * text spans about half the width; where even one font pixel per pixel does not fit, the field is plain.
 */
export function pausedSlate(width: number, height: number): RgbaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`slate size must be positive integers, got ${width}x${height}`);
  }
  const img = rgbaImage(width, height);
  for (let i = 0; i < img.data.length; i += 4) {
    img.data[i] = BACKGROUND[0];
    img.data[i + 1] = BACKGROUND[1];
    img.data[i + 2] = BACKGROUND[2];
    img.data[i + 3] = 255;
  }
  const cols = SLATE_TEXT.length * (GLYPH_W + 1) - 1;
  const scale = Math.floor(width / 2 / cols);
  // Text plus a pause sign twice the text's height above it, with a text-height gap between them.
  if (scale < 1 || GLYPH_H * scale * 4 > height) return img;
  const text = renderText(SLATE_TEXT, scale);
  const barH = text.height * 2;
  const barW = Math.max(1, Math.round(barH / 4));
  const blockTop = Math.floor((height - (barH + text.height + text.height)) / 2);
  const cx = Math.floor(width / 2);
  fillRect(img, cx - barW - Math.ceil(barW / 2), blockTop, barW, barH, INK);
  fillRect(img, cx + Math.ceil(barW / 2), blockTop, barW, barH, INK);
  const tx = Math.floor((width - text.width) / 2);
  const ty = blockTop + barH + text.height;
  for (let y = 0; y < text.height; y++) {
    for (let x = 0; x < text.width; x++) if (text.data[y * text.width + x]) fillRect(img, tx + x, ty + y, 1, 1, INK);
  }
  return img;
}
