import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { FloatImage } from '../../../src/frame';
import { decodePng } from '../../../src/engine/pixels/png';
import { backscrubContestant } from '../../../bench/peers/backscrub';
import { ContestantUnavailable, type Contestant } from '../../../bench/peers/contestant';
import { obsPluginContestant } from '../../../bench/peers/obs-plugin';
import { OBS_DEFAULTS } from '../../../bench/peers/obs-postprocess';
import { PEERS_DIR } from '../../../bench/peers/ort';
import { rvmContestant } from '../../../bench/peers/rvm';
import { ASTRONAUT, ASTRONAUT_MISSING } from '../astronaut-clip';

/**
 * The peers' adapters on a real photo of a person (skimage's astronaut, 512x512): each must find her face
 * and leave the top-left corner (a flag, no person) as background. Needs ../shared/peers.
 */
const missing = ASTRONAUT_MISSING ?? (existsSync(PEERS_DIR) ? null : `${PEERS_DIR} is missing (the shared peer models)`);

function meanIn(alpha: FloatImage, x0: number, y0: number, x1: number, y1: number): number {
  let sum = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += alpha.data[y * alpha.width + x];
  return sum / ((x1 - x0) * (y1 - y0));
}

describe.skipIf(missing !== null)(`peer adapters on a real photo${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const opened: Contestant[] = [];
  afterAll(async () => {
    for (const c of opened) await c.close();
  });

  const frame = () => decodePng(readFileSync(ASTRONAUT));

  for (const make of [() => obsPluginContestant('selfie'), () => obsPluginContestant('sinet'), () => rvmContestant(1)]) {
    const contestant = make();
    it(`${contestant.name}: face is person, corner is background, alpha at frame size`, async () => {
      opened.push(contestant);
      await contestant.prepare();
      const alpha = await contestant.alpha(frame(), 0);
      expect(alpha.width).toBe(512);
      expect(alpha.height).toBe(512);
      // Her face spans about x 190-270, y 60-150 in the photo.
      expect(meanIn(alpha, 190, 60, 270, 150)).toBeGreaterThan(0.9);
      expect(meanIn(alpha, 0, 0, 60, 60)).toBeLessThan(0.1);
    });
  }

  it("Meet finds her, and the plugin's contour filter then erases her, as its OpenCV calls do", async () => {
    // Meet's mask stops short of the photo's bottom edge, so the background region encloses her; the plugin
    // fills the outer contour of each large background region (RETR_EXTERNAL, FILLED), holes included.
    const settings = { ...OBS_DEFAULTS, enableImageSimilarity: false };
    const raw = obsPluginContestant('meet', 1, { ...settings, contourFilter: 0, smoothContour: 0, temporalSmoothFactor: 0 });
    const plugin = obsPluginContestant('meet', 1, settings);
    opened.push(raw, plugin);
    await raw.prepare();
    await plugin.prepare();
    expect(meanIn(await raw.alpha(frame(), 0), 190, 60, 270, 150)).toBeGreaterThan(0.9);
    expect(meanIn(await plugin.alpha(frame(), 0), 0, 0, 512, 512)).toBe(0);
  });

  it('the OBS pipeline keeps its mask while frames look alike (PSNR above 35 dB), as the plugin does', async () => {
    const obs = obsPluginContestant('selfie');
    opened.push(obs);
    await obs.prepare();
    const image = frame();
    const first = await obs.alpha(image, 0);
    const again = await obs.alpha({ ...image, data: Uint8Array.from(image.data) }, 1);
    expect(again).toBe(first);
    expect(obs.lastStagesMs).toEqual({});
  });

  it('RVM feeds its recurrent state back, and a reset forgets it', async () => {
    const rvm = rvmContestant(1);
    opened.push(rvm);
    await rvm.prepare();
    const image = frame();
    const a = Float32Array.from((await rvm.alpha(image, 0)).data);
    const b = Float32Array.from((await rvm.alpha(image, 1)).data);
    await rvm.reset();
    const c = Float32Array.from((await rvm.alpha(image, 0)).data);
    const diff = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + Math.abs(v - y[i]), 0) / x.length;
    expect(diff(a, b)).toBeGreaterThan(0);
    expect(diff(a, c)).toBeLessThan(1e-5);
  });
});

describe.skipIf(missing !== null)('backscrub models through the TFLite converter', () => {
  for (const model of ['meet-full', 'meet-lite', 'mlkit-selfie'] as const) {
    it(`${model}: converts and finds the face, or says why the converter cannot take it`, async () => {
      const c = backscrubContestant(model);
      try {
        await c.prepare();
      } catch (error) {
        expect(error).toBeInstanceOf(ContestantUnavailable);
        expect((error as ContestantUnavailable).reason).toMatch(/converter cannot convert it yet: .*operator/);
        return;
      }
      try {
        const alpha = await c.alpha(decodePng(readFileSync(ASTRONAUT)), 0);
        expect(meanIn(alpha, 190, 60, 270, 150)).toBeGreaterThan(0.5);
      } finally {
        await c.close();
      }
    });
  }
});
