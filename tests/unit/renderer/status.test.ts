import { describe, expect, it } from 'vitest';
import type { EngineStats } from '../../../src/common/contract';
import { DropRate, KEEP_UP_SECONDS, keepUpAdvice, mattingFallback, qualityLabel, runningSummary } from '../../../src/renderer/components/status-format';

const stats: EngineStats = {
  fpsIn: 30,
  fpsOut: 29,
  dropped: 0,
  stagesMs: {},
  provider: 'cpu',
  matting: 'light',
  mattingHz: 10,
  quality: 'balanced',
  latencyMs: { p50: 40, p95: 60 },
  threads: { segment: 1, matte: 1 },
};

describe('what the status says runs', () => {
  it('names what Auto chose, and segmentation only when matting is off', () => {
    expect(qualityLabel('auto', 'balanced')).toBe('Auto · Balanced');
    expect(qualityLabel('auto', null)).toBe('Auto');
    expect(qualityLabel('quality', 'quality')).toBe('Quality');
    expect(runningSummary('auto', stats)).toBe('Auto · Balanced');
    expect(runningSummary('auto', { ...stats, matting: 'off' })).toBe('Segmentation only');
  });

  it('explains a matting fallback with the engine’s own cause', () => {
    expect(mattingFallback('light', stats)).toBeNull();
    expect(mattingFallback('full', { ...stats, matting: 'off', notice: 'segmentation only: matting model /m/fba_full.onnx is missing' })).toBe(
      'Full matting could not start (matting model /m/fba_full.onnx is missing). Running segmentation only.',
    );
  });
});

describe('dropped frames as a rate', () => {
  it('counts drops over the last seconds only, and starts again after an engine restart', () => {
    const rate = new DropRate(5000);
    expect(rate.note(0, 1000)).toBe(0); // a lifetime count alone says nothing about now
    expect(rate.note(1000, 1010)).toBe(10);
    rate.note(2000, 1020);
    for (let t = 3000; t <= 9000; t += 1000) rate.note(t, 1020);
    expect(rate.rate()).toBe(0);
    expect(rate.note(10_000, 5)).toBe(0);
  });
});

describe("can't keep up", () => {
  const slow = { ...stats, fpsOut: 3, matting: 'light' as const, quality: 'balanced' as const };
  const settings = { resolution: { width: 1280, height: 720 }, quality: 'auto' as const, matting: 'light' as const };

  it('says so after several slow seconds and offers the lower resolution and quality', () => {
    const dropping = { dropRate: 27, frame: { width: 1280, height: 720 } };
    expect(keepUpAdvice(Array(KEEP_UP_SECONDS - 1).fill(slow), settings, dropping)).toBeNull();
    expect(keepUpAdvice(Array(KEEP_UP_SECONDS).fill(slow), settings, dropping)).toEqual({
      message: "This computer can't keep up: 3.0 fps at 1280×720.",
      offers: ['lower-resolution', 'lower-quality'],
    });
  });

  it('stays quiet when the camera itself is slow (nothing dropped); names the size the camera really sends', () => {
    expect(keepUpAdvice(Array(KEEP_UP_SECONDS).fill(slow), settings, { dropRate: 0, frame: null })).toBeNull();
    const small = keepUpAdvice(Array(KEEP_UP_SECONDS).fill({ ...slow, quality: 'performance' }), settings, { dropRate: 20, frame: { width: 640, height: 360 } });
    expect(small).toEqual({ message: "This computer can't keep up: 3.0 fps at 640×360.", offers: [] });
  });
});
