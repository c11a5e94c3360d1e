/** Text the UI shows, as pure functions. */
import { STAGE_NAMES, type Background, type EngineStats, type Rgb } from '../../common/contract';

function fixed(n: number, digits = 1): string {
  return n.toFixed(digits);
}

/**
 * One line: fps in/out, ms per stage that ran, drops at the camera and in the engine, the share of frames
 * that reused the last result, provider, matting, threads, latency.
 */
export function formatStats(stats: EngineStats | null, cameraDropped: number, provider: string | null): string {
  if (!stats) return provider ? `provider ${provider} · waiting for frames` : 'engine starting…';
  const stages = STAGE_NAMES.filter((s) => stats.stagesMs[s] !== undefined)
    .map((s) => `${s} ${fixed(stats.stagesMs[s] as number)} ms`)
    .join(' · ');
  const matting = stats.matting === 'off' ? 'matting off' : `matting ${stats.matting} ${stats.quality} ${fixed(stats.mattingHz)} Hz`;
  const threads = `threads segment ${stats.threads.segment}${stats.threads.matte ? `, matte ${stats.threads.matte}` : ''}`;
  return [
    `fps in ${fixed(stats.fpsIn)} / out ${fixed(stats.fpsOut)}`,
    stages || 'no stages yet',
    `dropped ${cameraDropped + stats.dropped} (camera ${cameraDropped}, engine ${stats.dropped})`,
    ...(stats.skippedPercent === undefined ? [] : [`skipped ${Math.round(stats.skippedPercent)} %`]),
    `provider ${stats.provider}`,
    matting,
    threads,
    `latency p50 ${Math.round(stats.latencyMs.p50)} ms, p95 ${Math.round(stats.latencyMs.p95)} ms`,
  ].join(' · ');
}

export function rgbToHex(rgb: Rgb): string {
  return `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

export function describeBackground(bg: Background): string {
  switch (bg.kind) {
    case 'none':
      return 'none';
    case 'transparent':
      return 'transparent';
    case 'blur':
      return `blur ${Math.round(bg.strength * 100)}%`;
    case 'colour':
      return `colour ${rgbToHex(bg.rgb)}`;
    case 'image':
    case 'video':
      return `${bg.kind} ${bg.path.split(/[\\/]/).pop()}`;
  }
}
