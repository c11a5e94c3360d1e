/**
 * What the status bar, the pickers and the "can't keep up" banner say, as pure functions: the page shows
 * what the engine reports it is running, never only what was asked for.
 */
import { parseAccelerator, type KeyboardFamily } from '../../common/accelerator';
import type { EngineStats, MattingMode, Quality } from '../../common/contract';

export const QUALITY_LABELS: Record<Quality, string> = {
  auto: 'Auto',
  performance: 'Performance',
  balanced: 'Balanced',
  quality: 'Quality',
  max: 'Max',
};

export const MATTING_LABELS: Record<MattingMode, string> = {
  off: 'Off (segmentation only)',
  light: 'Light',
  full: 'Full',
};

/** "Auto · Balanced" while Auto runs Balanced; the plain name when the choice is the running one. */
export function qualityLabel(chosen: Quality, running: Quality | null): string {
  if (chosen === 'auto' && running && running !== 'auto') return `Auto · ${QUALITY_LABELS[running]}`;
  return QUALITY_LABELS[chosen];
}

/** What runs, as the status bar's quality chip says it: "Auto · Balanced", "Segmentation only". */
export function runningSummary(chosen: Quality, stats: EngineStats | null): string {
  if (!stats) return QUALITY_LABELS[chosen];
  if (stats.matting === 'off') return 'Segmentation only';
  return qualityLabel(chosen, stats.quality);
}

/**
 * Why the running matting differs from the chosen one (a model that is missing or failed to load), or
 * null when they agree. The engine's own notice carries the cause.
 */
export function mattingFallback(chosen: MattingMode, stats: EngineStats | null): string | null {
  if (!stats || stats.matting === chosen) return null;
  const cause = stats.notice?.replace(/^segmentation only:\s*/, '') ?? 'the engine could not run it';
  const running = stats.matting === 'off' ? 'segmentation only' : `${MATTING_LABELS[stats.matting]} matting`;
  return `${MATTING_LABELS[chosen]} matting could not start (${cause}). Running ${running}.`;
}

/** "CPU", "CUDA", "DirectML": execution providers as people read them. */
export function providerLabel(provider: string | null): string {
  if (!provider) return '—';
  const known: Record<string, string> = {
    cpu: 'CPU',
    cuda: 'CUDA',
    tensorrt: 'TensorRT',
    dml: 'DirectML',
    directml: 'DirectML',
    coreml: 'CoreML',
    webgpu: 'WebGPU',
  };
  return known[provider.toLowerCase()] ?? provider;
}

/**
 * Dropped frames per second over the last `windowMs`, from lifetime counts sampled as they arrive
 * (the camera's and the engine's added). A lifetime count only ever grows; a rate says whether it is
 * happening now.
 */
export class DropRate {
  private samples: { at: number; total: number }[] = [];

  constructor(private readonly windowMs = 5000) {}

  note(at: number, total: number): number {
    // A restarted engine starts counting from zero again.
    const last = this.samples[this.samples.length - 1];
    if (last && total < last.total) this.samples = [];
    this.samples.push({ at, total });
    while (this.samples.length > 2 && this.samples[1].at <= at - this.windowMs) this.samples.shift();
    return this.rate();
  }

  rate(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? (last.total - first.total) / seconds : 0;
  }
}

export interface KeepUpAdvice {
  message: string;
  /** One-click remedies, most effective first. */
  offers: ('lower-resolution' | 'lower-quality')[];
}

/** Below this many frames a second out, a call looks broken. */
export const KEEP_UP_FPS = 12;
/** Consecutive stats (one a second) below it before the page says so: start-up and switches are slow. */
export const KEEP_UP_SECONDS = 4;

/**
 * When the engine has put out fewer than KEEP_UP_FPS frames a second for KEEP_UP_SECONDS stats in a row
 * while the camera offered more (frames are being dropped), say so and offer what would help; null
 * otherwise. A camera that is slow itself (a dark room) drops nothing and gets no advice. The engine's
 * own input rate cannot tell: the page sends it one frame at a time.
 */
export function keepUpAdvice(
  recent: readonly Pick<EngineStats, 'fpsIn' | 'fpsOut' | 'matting' | 'quality'>[],
  settings: { resolution: { width: number; height: number }; quality: Quality; matting: MattingMode },
  now: { dropRate: number; frame: { width: number; height: number } | null },
): KeepUpAdvice | null {
  if (recent.length < KEEP_UP_SECONDS || now.dropRate < 2) return null;
  const last = recent.slice(-KEEP_UP_SECONDS);
  if (!last.every((s) => s.fpsOut < KEEP_UP_FPS && s.fpsIn > 0)) return null;
  const fps = last[last.length - 1].fpsOut;
  const frame = now.frame ?? settings.resolution;
  const offers: KeepUpAdvice['offers'] = [];
  if (frame.width > 640 && settings.resolution.width > 640) offers.push('lower-resolution');
  const current = last[last.length - 1];
  if (current.matting !== 'off' && (settings.matting === 'full' || current.quality !== 'performance')) offers.push('lower-quality');
  return {
    message: `This computer can't keep up: ${fps.toFixed(fps < 10 ? 1 : 0)} fps at ${frame.width}×${frame.height}.`,
    offers,
  };
}

/** The keyboard family of the machine the page runs on (for showing shortcuts). */
export function pageKeyboardFamily(): KeyboardFamily {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  const platform = nav.userAgentData?.platform ?? navigator.platform ?? '';
  return /mac/i.test(platform) ? 'mac' : 'other';
}

const MAC_SYMBOLS: Record<string, string> = { Control: '⌃', Alt: '⌥', AltGr: '⌥', Shift: '⇧', Command: '⌘', Super: '⌘', CommandOrControl: '⌘' };
const OTHER_NAMES: Record<string, string> = { Control: 'Ctrl', Alt: 'Alt', AltGr: 'AltGr', Shift: 'Shift', Command: 'Super', Super: 'Super', CommandOrControl: 'Ctrl' };
/** macOS's own order of modifier symbols. */
const MAC_ORDER = ['⌃', '⌥', '⇧', '⌘'];

/**
 * An Electron accelerator as the platform writes shortcuts: "Ctrl+Shift+B" on Windows and Linux, "⌘⇧B"
 * on macOS. Text that does not parse is shown as it is.
 */
export function displayAccelerator(accelerator: string, family: KeyboardFamily): string {
  let acc;
  try {
    acc = parseAccelerator(accelerator);
  } catch {
    return accelerator;
  }
  if (family === 'mac') {
    const symbols = [...new Set(acc.modifiers.map((m) => MAC_SYMBOLS[m]))].sort((a, b) => MAC_ORDER.indexOf(a) - MAC_ORDER.indexOf(b));
    return `${symbols.join('')}${acc.key}`;
  }
  return [...new Set(acc.modifiers.map((m) => OTHER_NAMES[m]))].concat(acc.key).join('+');
}

/** A key press in a shortcut field as an accelerator ("Control+Shift+B"), or null while only modifiers are down. */
export function acceleratorFromKeys(e: { key: string; code: string; ctrlKey: boolean; altKey: boolean; shiftKey: boolean; metaKey: boolean }, family: KeyboardFamily): string | null {
  if (['Control', 'Alt', 'Shift', 'Meta', 'AltGraph', 'OS'].includes(e.key)) return null;
  let key: string | null = null;
  if (/^Key[A-Z]$/.test(e.code)) key = e.code.slice(3);
  else if (/^Digit[0-9]$/.test(e.code)) key = e.code.slice(5);
  else if (/^F([1-9]|1[0-9]|2[0-4])$/.test(e.code)) key = e.code;
  else {
    const named: Record<string, string> = { Space: 'Space', Enter: 'Return', Backspace: 'Backspace', Delete: 'Delete', Insert: 'Insert', Home: 'Home', End: 'End', PageUp: 'PageUp', PageDown: 'PageDown', ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right' };
    key = named[e.code] ?? null;
  }
  if (!key) return null;
  const mods: string[] = [];
  if (e.metaKey) mods.push(family === 'mac' ? 'Command' : 'Super');
  if (e.ctrlKey) mods.push('Control');
  if (e.altKey) mods.push('Alt');
  if (e.shiftKey) mods.push('Shift');
  return [...mods, key].join('+');
}
