import { describe, expect, it } from 'vitest';
import { formatBar, formatProgress, formatSummary, ProgressReporter } from '../../../src/cli/progress';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 80, writes, write: (text: string) => writes.push(text) };
}

/** A clock that advances 100 ms per reading: 10 fps. */
function clock() {
  let t = 0;
  return () => (t += 100);
}

describe('formatBar', () => {
  it('fills in proportion', () => {
    expect(formatBar(0, 10, 10)).toBe('[----------]');
    expect(formatBar(3, 10, 10)).toBe('[###-------]');
    expect(formatBar(10, 10, 10)).toBe('[##########]');
    expect(formatBar(15, 10, 4)).toBe('[####]');
  });
});

describe('formatProgress', () => {
  it('shows the count, the share when the total is known, and fps', () => {
    expect(formatProgress(12, 48, 9.14)).toBe('12/48 frames (25%), 9.1 fps');
    expect(formatProgress(12, null, 30)).toBe('12 frames, 30.0 fps');
  });
});

describe('formatSummary', () => {
  it('gives frames, fps and median ms per stage in pipeline order', () => {
    expect(
      formatSummary({
        frames: 48,
        width: 640,
        height: 360,
        seconds: 6,
        output: 'out.mp4',
        stagesMs: { composite: 3.04, segment: 41.26 },
        decodeWaitMs: 0.4,
        encodeWaitMs: 1.25,
        provider: 'cpu',
      }),
    ).toEqual([
      'rendered 48 frames (640x360) in 6.0 s, 8.0 fps -> out.mp4',
      'median per frame: segment 41.3 ms, composite 3.0 ms, waiting on decode 0.4 ms, on encode 1.3 ms (provider cpu)',
    ]);
  });
});

describe('ProgressReporter', () => {
  it('redraws one line in place on a terminal', () => {
    const out = stream(true);
    const reporter = new ProgressReporter(out, 4, clock());
    reporter.frame();
    reporter.frame();
    reporter.end();
    reporter.end();
    expect(out.writes).toHaveLength(3);
    expect(out.writes[0]).toMatch(/^\r\[#+-+\] 1\/4 frames \(25%\), 10\.0 fps\x1b\[K$/);
    expect(out.writes[1]).toContain('2/4 frames (50%), 10.0 fps');
    expect(out.writes[2]).toBe('\n');
  });

  it('writes a plain line per tenth on a pipe', () => {
    const out = stream(false);
    const reporter = new ProgressReporter(out, 20, clock());
    for (let i = 0; i < 20; i++) reporter.frame();
    reporter.end();
    expect(out.writes).toHaveLength(10);
    expect(out.writes[0]).toBe('2/20 frames (10%), 10.0 fps\n');
    expect(out.writes[9]).toBe('20/20 frames (100%), 10.0 fps\n');
  });

  it('writes every 30 frames on a pipe when the length is unknown', () => {
    const out = stream(false);
    const reporter = new ProgressReporter(out, null, clock());
    for (let i = 0; i < 65; i++) reporter.frame();
    expect(out.writes).toEqual(['30 frames, 10.0 fps\n', '60 frames, 10.0 fps\n']);
  });
});
