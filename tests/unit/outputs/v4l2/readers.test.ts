import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findReaders, holdsOpen, nextLookMs, ReaderWatch } from '../../../../src/outputs/v4l2/readers';

const DEVICE = '/dev/video10';
let proc: string;

/** /proc/<pid>/fd/<fd> as the kernel shows it: a link naming what the descriptor has open (it need not exist here). */
function openFd(pid: number, fd: number, target: string): void {
  mkdirSync(join(proc, String(pid), 'fd'), { recursive: true });
  symlinkSync(target, join(proc, String(pid), 'fd', String(fd)));
}

beforeEach(() => {
  proc = mkdtempSync(join(tmpdir(), 'fake-proc-'));
});
afterEach(() => rmSync(proc, { recursive: true, force: true }));

describe('findReaders', () => {
  it('finds the processes with the device open, skipping our own writer, unreadable processes and non-pid entries', async () => {
    openFd(100, 0, '/dev/null');
    openFd(100, 7, DEVICE);
    openFd(200, 3, '/dev/video1');
    openFd(300, 4, DEVICE); // the writing ffmpeg
    openFd(41, 12, DEVICE);
    mkdirSync(join(proc, '500')); // a kernel thread, or another user's process: no readable fd folder
    symlinkSync('100', join(proc, 'self'));
    mkdirSync(join(proc, 'sys'));
    expect(await findReaders(proc, DEVICE, new Set([300]))).toEqual([41, 100]);
    expect(await findReaders(proc, DEVICE, new Set([41, 100, 300]))).toEqual([]);
  });

  it('finds nobody in a missing /proc (not Linux)', async () => {
    expect(await findReaders(join(proc, 'absent'), DEVICE, new Set())).toEqual([]);
  });

  it('looks through more processes than one turn of the event loop takes', async () => {
    for (let pid = 1; pid <= 70; pid++) openFd(pid, 1, '/dev/null');
    openFd(69, 5, DEVICE);
    expect(await findReaders(proc, DEVICE, new Set())).toEqual([69]);
  });
});

describe('holdsOpen', () => {
  it('answers for one process, false once it is gone', () => {
    openFd(100, 7, DEVICE);
    expect(holdsOpen(proc, 100, DEVICE)).toBe(true);
    expect(holdsOpen(proc, 100, '/dev/video11')).toBe(false);
    expect(holdsOpen(proc, 101, DEVICE)).toBe(false);
  });
});

describe('nextLookMs', () => {
  it('polls at the given rate while scans are cheap, and backs off so scans take at most their share of a core', () => {
    expect(nextLookMs(2, 250, 0.05)).toBe(250);
    expect(nextLookMs(0, 250, 0.05)).toBe(250);
    expect(nextLookMs(40, 250, 0.05)).toBe(760);
  });
});

describe('ReaderWatch', () => {
  it('says idle, then read when a process opens the device, then idle when it closes it; the writer never counts', async () => {
    openFd(300, 4, DEVICE);
    const heard: boolean[] = [];
    const watch = new ReaderWatch({ target: DEVICE, procRoot: proc, pollMs: 5, exclude: () => new Set([300]), onChange: (read) => heard.push(read) });
    expect(watch.read).toBeNull();
    watch.start();
    try {
      await vi.waitFor(() => expect(heard).toEqual([false]));
      openFd(100, 7, DEVICE);
      await vi.waitFor(() => expect(heard).toEqual([false, true]));
      expect(watch.read).toBe(true);
      unlinkSync(join(proc, '100', 'fd', '7'));
      await vi.waitFor(() => expect(heard).toEqual([false, true, false]));
    } finally {
      watch.stop();
    }
  });

  it('stays read while a second reader holds on after the first leaves', async () => {
    openFd(100, 7, DEVICE);
    const heard: boolean[] = [];
    const watch = new ReaderWatch({ target: DEVICE, procRoot: proc, pollMs: 5, exclude: () => new Set(), onChange: (read) => heard.push(read) });
    watch.start();
    try {
      await vi.waitFor(() => expect(heard).toEqual([true]));
      openFd(200, 3, DEVICE);
      unlinkSync(join(proc, '100', 'fd', '7'));
      // Long enough for several looks: the first reader's leaving sends it to a full scan, which finds the second.
      await new Promise((r) => setTimeout(r, 60));
      expect(heard).toEqual([true]);
    } finally {
      watch.stop();
    }
  });
});
