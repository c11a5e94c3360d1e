import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * Line plots for the benchmarks: an SVG built here (stacked panels, axes, legend), turned into a PNG by a
 * headless Chromium screenshot when one is installed. The SVG is always written next to it.
 */

export interface Series {
  label: string;
  x: readonly number[];
  y: readonly number[];
}

export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Dashed reference lines (a budget). */
  marks?: { y: number; label: string }[];
  /** Clip the y axis here (one outlier should not flatten the rest); points above are drawn at the top. */
  yMax?: number;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#000000', '#aec7e8'];

/** Tick positions from lo to hi with a step of 1, 2 or 5 times a power of ten, about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * A y-axis top that keeps one runaway series from flattening the others: when the largest series maximum
 * is over three times the next, the axis stops at 1.5 times the next (the runaway is drawn at the top).
 */
export function robustTop(series: readonly Series[]): number | undefined {
  const peaks = series.map((s) => Math.max(...s.y.filter(Number.isFinite))).filter(Number.isFinite).sort((a, b) => b - a);
  return peaks.length > 1 && peaks[0] > 3 * peaks[1] ? 1.5 * peaks[1] : undefined;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const PANEL_HEIGHT = 300;
const MARGIN = { left: 70, right: 20, top: 34, bottom: 62 };
const LEGEND_ROW = 18;

export function svgPlot(title: string, panels: readonly Panel[], width = 1100): string {
  const parts: string[] = [];
  let top = 40;
  const plotW = width - MARGIN.left - MARGIN.right;
  for (const panel of panels) {
    const legendRows = Math.ceil(panel.series.length / 3);
    const h = PANEL_HEIGHT;
    const xs = panel.series.flatMap((s) => s.x);
    const ys = panel.series.flatMap((s) => s.y).filter(Number.isFinite);
    const xMin = xs.length ? Math.min(...xs) : 0;
    const xMax = xs.length ? Math.max(...xs) : 1;
    const yTop = panel.yMax ?? Math.max(1e-9, ...ys, ...(panel.marks ?? []).map((m) => m.y)) * 1.05;
    const px = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin || 1)) * plotW;
    const py = (y: number) => top + MARGIN.top + h - (Math.min(y, yTop) / yTop) * h;
    parts.push(`<text x="${MARGIN.left}" y="${top + 20}" font-size="15" font-weight="bold">${escapeXml(panel.title)}</text>`);
    parts.push(`<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${plotW}" height="${h}" fill="none" stroke="#888"/>`);
    for (const t of niceTicks(0, yTop)) {
      parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${py(t)}" y2="${py(t)}" stroke="#eee"/>`);
      parts.push(`<text x="${MARGIN.left - 6}" y="${py(t) + 4}" font-size="11" text-anchor="end">${t}</text>`);
    }
    for (const t of niceTicks(xMin, xMax, 8)) {
      parts.push(`<text x="${px(t)}" y="${top + MARGIN.top + h + 16}" font-size="11" text-anchor="middle">${t}</text>`);
    }
    parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${top + MARGIN.top + h + 34}" font-size="12" text-anchor="middle">${escapeXml(panel.xLabel)}</text>`);
    parts.push(
      `<text x="16" y="${top + MARGIN.top + h / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${top + MARGIN.top + h / 2})">${escapeXml(panel.yLabel)}</text>`,
    );
    for (const m of panel.marks ?? []) {
      parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${py(m.y)}" y2="${py(m.y)}" stroke="#555" stroke-dasharray="6 4"/>`);
      parts.push(`<text x="${MARGIN.left + plotW - 4}" y="${py(m.y) - 4}" font-size="11" text-anchor="end" fill="#555">${escapeXml(m.label)}</text>`);
    }
    panel.series.forEach((s, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const points = s.x.map((x, j) => `${px(x).toFixed(1)},${py(s.y[j]).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="1.4"/>`);
      // A handful of points (an entrant that barely kept up) would not show as a line.
      if (s.x.length < 40) {
        s.x.forEach((x, j) => parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(s.y[j]).toFixed(1)}" r="2.5" fill="${colour}"/>`));
      }
      const lx = MARGIN.left + (i % 3) * (plotW / 3);
      const ly = top + MARGIN.top + h + MARGIN.bottom + Math.floor(i / 3) * LEGEND_ROW;
      parts.push(`<rect x="${lx}" y="${ly - 9}" width="14" height="4" fill="${colour}"/>`);
      parts.push(`<text x="${lx + 20}" y="${ly - 4}" font-size="12">${escapeXml(s.label)}</text>`);
    });
    top += MARGIN.top + h + MARGIN.bottom + legendRows * LEGEND_ROW + 10;
  }
  const height = top + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="24" font-size="17" text-anchor="middle">${escapeXml(title)}</text>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * Writes `<base>.svg` and, where Chromium is installed, `<base>.png` from it. Returns the files written
 * and, when there is no PNG, why.
 */
export async function writePlot(base: string, svg: string): Promise<{ files: string[]; note?: string }> {
  const svgPath = resolve(`${base}.svg`);
  const pngPath = resolve(`${base}.png`);
  mkdirSync(dirname(svgPath), { recursive: true });
  writeFileSync(svgPath, svg);
  const chromium = CHROMIUM_CANDIDATES.find((p): p is string => !!p && existsSync(p));
  if (!chromium) return { files: [svgPath], note: 'no Chromium found (set CHROMIUM_PATH) so no PNG; the SVG opens in any browser' };
  const width = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 1100);
  const height = Number(/height="(\d+)"/.exec(svg)?.[1] ?? 800);
  try {
    await promisify(execFile)(
      chromium,
      ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--window-size=${width},${height}`, `--screenshot=${pngPath}`, pathToFileURL(svgPath).href],
      { timeout: 60_000 },
    );
  } catch (error) {
    return { files: [svgPath], note: `Chromium could not render the PNG: ${(error as Error).message.split('\n')[0]}` };
  }
  return { files: [svgPath, pngPath] };
}
