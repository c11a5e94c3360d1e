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
  it('says nothing on its first reading, then a percentage of all cores', () => {
    // A fake clock and CPU counter (microseconds): the answer cannot depend on how loaded the machine is.
    let t = 0;
    let used = { user: 0, system: 0 };
    const meter = processCpuMeter(2, () => t, () => used);
    expect(meter()).toBeNull();
    t = 50; // too soon after the last reading to mean anything
    expect(meter()).toBeNull();
    t = 250;
    used = { user: 150_000, system: 50_000 }; // 200 ms of CPU over 200 ms on 2 cores
    expect(meter()).toBeCloseTo(50, 9);
    t = 350;
    used = { user: 450_000, system: 50_000 }; // 300 ms over 100 ms: clamped to all cores
    expect(meter()).toBe(100);
  });
});
