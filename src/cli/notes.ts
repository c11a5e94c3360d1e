import type { Rate } from '../io/ffmpeg/args';

/** A y4m that states no frame rate: its length and pace would silently depend on ffmpeg's guess. */
export function guessedRateNote(path: string, rate: Rate, override?: string): string {
  const fps = rate.den === 1 ? `${rate.num}` : (rate.num / rate.den).toFixed(2);
  return `${path} gives no frame rate (its y4m header says F0:0 or nothing); taking ${fps} fps${override ? `, ${override} sets another` : ''}`;
}
