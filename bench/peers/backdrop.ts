import type { MattingMode, Quality } from '../../src/common/contract';
import type { RgbaImage } from '../../src/frame';
import { Session } from '../../src/engine/session';
import { decodeImage } from '../../src/io/image';
import { ContestantUnavailable, StageClock, type Contestant } from './contestant';

/**
 * Backdrop itself through its engine session: `Session.matte` gives the full-resolution alpha of a frame.
 * Offline (live: false) it mats every frame; live (live: true) matting runs beside the frame loop and a
 * frame gets the latest matte, so the caller must feed frames at the camera's pace for the result to mean
 * anything. A session that had to fall back to segmentation only is reported unavailable rather than
 * scored under a name it does not deserve.
 */

export interface BackdropSetting {
  matting: MattingMode;
  quality: Quality;
  live?: boolean;
  modelsDir?: string;
  threads?: number;
  mattingThreads?: number;
  /** Execution providers; CPU by default, the footing every peer here runs on. */
  providers?: string[];
  /** The matte's weight in the band; the engine's own when absent. */
  matteWeight?: number;
  /** Names the models folder in the contestant's name, to set two models side by side. */
  modelsLabel?: string;
}

export function backdropName(s: Pick<BackdropSetting, 'matting' | 'quality' | 'live' | 'matteWeight' | 'modelsLabel'>): string {
  const model = s.modelsLabel ? ` [${s.modelsLabel}]` : '';
  const base = s.matting === 'off' ? 'segmentation only (Backdrop, matting off)' : `Backdrop ${s.matting}${model} ${s.quality}`;
  const weighted = s.matteWeight === undefined ? base : `${base}, matte weight ${s.matteWeight}`;
  return s.live ? `${weighted}, live` : weighted;
}

export function backdropContestant(setting: BackdropSetting): Contestant {
  const name = backdropName(setting);
  const clock = new StageClock();
  let session: Session | null = null;

  const open = async (): Promise<Session> => {
    let s: Session;
    try {
      s = await Session.create({
        modelsDir: setting.modelsDir ?? 'models',
        config: { background: { kind: 'colour', rgb: [0, 255, 0] }, matting: setting.matting, quality: setting.quality },
        loadImage: decodeImage,
        live: setting.live ?? false,
        threads: setting.threads,
        mattingThreads: setting.mattingThreads,
        providers: setting.providers ?? ['cpu'],
        matteWeight: setting.matteWeight,
      });
    } catch (error) {
      throw new ContestantUnavailable(name, (error as Error).message);
    }
    if (s.mattingIssue) {
      await s.close();
      throw new ContestantUnavailable(name, `the engine fell back to segmentation only: ${s.mattingIssue}`);
    }
    return s;
  };

  return {
    name,
    detail: `src/engine/session.ts Session.matte, matting ${setting.matting}, quality ${setting.quality}, ${setting.live ? 'live scheduling' : 'offline (every frame matted)'}, threads ${setting.threads ?? 'engine default'}`,
    get lastStagesMs() {
      return clock.stagesMs;
    },
    async prepare() {
      session ??= await open();
    },
    async alpha(frame: RgbaImage) {
      if (!session) throw new Error(`${name}: prepare() was not called`);
      const s = session;
      clock.start();
      const matte = await clock.timeAsync(setting.matting === 'off' ? 'segment' : 'matte', () => s.matte(frame));
      return matte.alpha;
    },
    async reset() {
      // Temporal state (smoothed probability, kept trimap) lives in the session: a new clip gets a new one.
      await session?.close();
      session = await open();
    },
    async close() {
      await session?.close();
      session = null;
    },
  };
}
