import { describe, expect, it } from 'vitest';
import { memoryGrowth, parseStatusLine, perMinute, slope, type RunStatus } from '../../../../bench/lib/soak';

describe('parseStatusLine', () => {
  it("reads backdrop run's plain status line, outputs and all, and nothing else", () => {
    expect(parseStatusLine('65 s | in 30.0 fps | out 29.5 fps | latency 48 ms | dropped 7 | vcam on | rec 12.3 MB 2400 kb/s')).toEqual({
      seconds: 65,
      fpsIn: 30,
      fpsOut: 29.5,
      latencyMs: 48,
      dropped: 7,
    });
    expect(parseStatusLine('virtual camera idle: no application has /dev/video10 open')).toBeNull();
  });
});

describe('slope', () => {
  it('fits a line by least squares', () => {
    expect(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBe(2);
    expect(slope([{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 2, y: 0 }, { x: 3, y: 1 }])).toBeCloseTo(0.2);
    expect(slope([{ x: 1, y: 5 }])).toBe(0);
    expect(slope([{ x: 1, y: 5 }, { x: 1, y: 6 }])).toBe(0);
  });
});

describe('memoryGrowth', () => {
  it('judges the warm part only: MB per hour and the rise as a share of the fitted value where it starts', () => {
    // 100 MB at 5 minutes, +1 MB a minute after; the start-up before minute 5 does not count.
    const samples = [{ seconds: 0, mb: 20 }, ...[5, 6, 7, 8, 9, 10].map((m) => ({ seconds: m * 60, mb: 100 + (m - 5) }))];
    const g = memoryGrowth(samples, 300);
    expect(g.mbPerHour).toBeCloseTo(60);
    expect(g.growthPct).toBeCloseTo(5);
  });

  it('says no growth with too few samples', () => {
    expect(memoryGrowth([{ seconds: 400, mb: 100 }], 300)).toEqual({ fromSec: 300, mbPerHour: 0, growthPct: 0 });
  });
});

describe('perMinute', () => {
  it('averages the output rate within each minute and takes the drops since the minute before', () => {
    const s = (seconds: number, fpsOut: number, dropped: number): RunStatus => ({ seconds, fpsIn: 30, fpsOut, latencyMs: 40, dropped });
    expect(perMinute([s(30, 28, 2), s(60, 30, 4), s(90, 29, 10), s(150, 30, 10)], 4)).toEqual([
      { minute: 1, fpsOut: 29, dropped: 4 },
      { minute: 2, fpsOut: 29, dropped: 6 },
      { minute: 3, fpsOut: 30, dropped: 0 },
      { minute: 4, fpsOut: null, dropped: null },
    ]);
  });
});
