import { describe, expect, it } from 'vitest';
import { FrameClock, type ClockScheduler, type Tick } from '../../../src/outputs/frame-clock';

/** A hand-driven clock: timers fire only when the test advances time past them. */
class ManualScheduler implements ClockScheduler {
  time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time to `to`, firing due timers in order; `lag` models an event loop that wakes late. */
  advance(to: number, lag = 0): void {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > to) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at + lag);
      next.fn();
    }
    this.time = Math.max(this.time, to);
  }
}

function clockAt(fps: number, staleAfterMs = 1000) {
  const scheduler = new ManualScheduler();
  const ticks: Tick<string>[] = [];
  const clock = new FrameClock<string>({ fps, fallback: () => 'slate', onTick: (t) => ticks.push(t), staleAfterMs, scheduler });
  return { scheduler, ticks, clock };
}

describe('FrameClock', () => {
  it('ticks on a fixed grid: 10 fps over one second gives ticks 0..10', () => {
    const { scheduler, ticks, clock } = clockAt(10);
    clock.offer('a');
    clock.start();
    scheduler.advance(1000);
    expect(ticks.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('repeats the last frame when none arrived and counts replaced frames when several did', () => {
    const { scheduler, ticks, clock } = clockAt(10);
    clock.offer('a');
    clock.start(); // t=0: a (fresh)
    scheduler.advance(100); // t=100: a again (repeat)
    clock.offer('b');
    clock.offer('c'); // b is replaced before any tick sent it
    scheduler.advance(200); // t=200: c (fresh)
    expect(ticks.map((t) => [t.frame, t.kind])).toEqual([
      ['a', 'fresh'],
      ['a', 'repeat'],
      ['c', 'fresh'],
    ]);
    expect(clock.stats).toMatchObject({ ticks: 3, fresh: 2, repeated: 1, replaced: 1, fallback: 0, late: 0 });
  });

  it('sends the fallback before the first frame, while paused, and once the source is stale', () => {
    const { scheduler, ticks, clock } = clockAt(10, 250);
    clock.start(); // t=0: nothing yet -> slate
    scheduler.advance(50);
    clock.offer('a');
    scheduler.advance(100); // t=100: a
    clock.pause();
    scheduler.advance(200); // t=200: paused -> slate
    clock.resume();
    scheduler.advance(300); // t=300: a is 250 ms old, not older than 250 -> a
    scheduler.advance(400); // t=400: a is 350 ms old -> slate
    expect(ticks.map((t) => t.frame)).toEqual(['slate', 'a', 'slate', 'a', 'slate']);
    expect(clock.stats.fallback).toBe(3);
  });

  it('skips ticks it woke too late for instead of bursting, and keeps to the grid after', () => {
    const { scheduler, ticks, clock } = clockAt(10);
    clock.offer('a');
    clock.start(); // tick 0 at t=0
    // The timer for tick 1 (t=100) fires at t=350: ticks 1 and 2 are skipped, tick 3 is sent.
    scheduler.advance(350, 250);
    scheduler.advance(500); // ticks 4 (t=400) and 5 (t=500) on the grid again
    expect(ticks.map((t) => t.index)).toEqual([0, 3, 4, 5]);
    expect(clock.stats.late).toBe(2);
  });

  it('with waitForFirstFrame sends nothing before the first frame, then starts its grid with that frame', () => {
    const scheduler = new ManualScheduler();
    const ticks: Tick<string>[] = [];
    const clock = new FrameClock<string>({ fps: 10, fallback: () => 'slate', onTick: (t) => ticks.push(t), scheduler, waitForFirstFrame: true });
    clock.start();
    scheduler.advance(2000);
    expect(ticks).toEqual([]);
    clock.offer('a');
    scheduler.advance(2250);
    expect(ticks.map((t) => [t.index, t.frame, t.kind])).toEqual([
      [0, 'a', 'fresh'],
      [1, 'a', 'repeat'],
      [2, 'a', 'repeat'],
    ]);
  });

  it('stops ticking after stop()', () => {
    const { scheduler, ticks, clock } = clockAt(10);
    clock.start();
    scheduler.advance(100);
    clock.stop();
    scheduler.advance(1000);
    expect(ticks).toHaveLength(2);
    expect(clock.running).toBe(false);
  });

  it('refuses a rate it cannot hold', () => {
    expect(() => clockAt(0)).toThrow(/frame clock rate must be in \(0, 240\] fps, got 0/);
    expect(() => clockAt(Number.NaN)).toThrow(RangeError);
  });
});
