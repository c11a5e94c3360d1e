import { describe, expect, it } from 'vitest';
import { median, processCpuMeter, quantile, StatsWindow } from '../../../src/engine/stats';

describe('quantile', () => {
  it('interpolates between ranks', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantile([0, 10], 0.95)).toBeCloseTo(9.5);
    expect(quantile([], 0.5)).toBe(0);
  });
});

describe('StatsWindow', () => {
  it('counts rates, stage medians and latency over its window only', () => {
    let t = 0;
    const s = new StatsWindow(1000, () => t, () => null);
    s.arrived(); // t = 0, falls out of the window below
    t = 600;
    s.arrived();
    s.arrived();
    s.stage('segment', 4);
    s.stage('segment', 8);
    s.stage('segment', 6);
    s.output(580); // 20 ms latency
    t = 1200;
    s.output(1160); // 40 ms
    s.dropped = 3;
    const snap = s.snapshot();
    expect(snap.fpsIn).toBe(2);
    expect(snap.fpsOut).toBe(2);
    expect(snap.stagesMs).toEqual({ segment: 6 });
    expect(snap.latencyMs.p50).toBe(30);
    expect(snap.latencyMs.p95).toBeCloseTo(39);
    expect(snap.dropped).toBe(3);
    expect(snap.cpuPercent).toBeUndefined();
  });

  it('reports the CPU share it is given', () => {
    const s = new StatsWindow(1000, () => 0, () => 42.5);
    expect(s.snapshot().cpuPercent).toBe(42.5);
  });
});

describe('processCpuMeter', () => {
  it('says nothing on its first reading, then a percentage of all cores', async () => {
    const meter = processCpuMeter(2);
    expect(meter()).toBeNull();
    const until = performance.now() + 150;
    while (performance.now() < until); // busy: one core
    const pct = meter();
    expect(pct).not.toBeNull();
    expect(pct!).toBeGreaterThan(20);
    expect(pct!).toBeLessThanOrEqual(100);
  });
});
