import { readdirSync, readlinkSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Who reads the virtual camera. v4l2loopback keeps no count of its readers that an unprivileged writer
 * can see (no sysfs attribute; its client-usage event needs an ioctl on the writer's own descriptor,
 * which is ffmpeg's), so readers are found as `fuser` finds them: the processes with a descriptor in
 * /proc/<pid>/fd linking to the device. Only processes of this user (or every process, as root) can be
 * seen; a reader running as someone else stays invisible.
 *
 * A full scan costs a readlink per open descriptor on the machine, tens of ms on a busy desktop, so the
 * watch spaces its full scans by what they cost, and while readers are known it only checks those.
 */

const PID = /^\d+$/;
/** Processes scanned between two turns of the event loop, so a scan never stalls the frame clocks. */
const PIDS_PER_TURN = 32;

/** Whether process `pid` has `target` open (false when it is gone or cannot be read). */
export function holdsOpen(procRoot: string, pid: number, target: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`${procRoot}/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`${procRoot}/${pid}/fd/${fd}`) === target) return true;
    } catch {
      // Closed between the listing and the readlink.
    }
  }
  return false;
}

/** Every process but `exclude` with `target` (a resolved path) open, lowest pid first. */
export async function findReaders(procRoot: string, target: string, exclude: ReadonlySet<number>): Promise<number[]> {
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return [];
  }
  const pids = entries
    .filter((e) => PID.test(e))
    .map(Number)
    .filter((pid) => !exclude.has(pid))
    .sort((a, b) => a - b);
  const readers: number[] = [];
  for (let i = 0; i < pids.length; i++) {
    if (i > 0 && i % PIDS_PER_TURN === 0) await nextTurn();
    if (holdsOpen(procRoot, pids[i], target)) readers.push(pids[i]);
  }
  return readers;
}

/**
 * How long to wait before the next look: `pollMs`, or longer when a scan was slow, so that scanning
 * takes at most `maxShare` of one core.
 */
export function nextLookMs(scanMs: number, pollMs: number, maxShare: number): number {
  return Math.max(pollMs, Math.ceil(scanMs / maxShare - scanMs));
}

export interface ReaderWatchOptions {
  /** The device (or .y4m stand-in) as /proc's links name it: its resolved absolute path. */
  target: string;
  /** Processes whose descriptors are ours, not readers: the writing ffmpeg, this process. */
  exclude(): ReadonlySet<number>;
  /** Hears each change between read (some process has it open) and idle. */
  onChange(read: boolean): void;
  procRoot?: string;
  pollMs?: number;
  /** Share of one core full scans may take; a slow machine then looks less often. */
  maxShare?: number;
  now?: () => number;
}

export const DEFAULT_READER_POLL_MS = 250;
const DEFAULT_MAX_SHARE = 0.05;

/** Looks for readers every `pollMs` until stopped. */
export class ReaderWatch {
  /** Null until the first look has finished. */
  private isRead: boolean | null = null;
  private known: number[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly options: ReaderWatchOptions) {}

  get read(): boolean | null {
    return this.isRead;
  }

  start(): void {
    void this.look();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async look(): Promise<void> {
    const { target, procRoot = '/proc', pollMs = DEFAULT_READER_POLL_MS, maxShare = DEFAULT_MAX_SHARE, now = () => performance.now() } = this.options;
    const started = now();
    // Only "any reader at all" matters: a known reader still holding on settles it without a full scan.
    const still = this.known.filter((pid) => holdsOpen(procRoot, pid, target));
    this.known = still.length > 0 ? still : await findReaders(procRoot, target, this.options.exclude());
    if (this.stopped) return;
    const spent = still.length > 0 ? 0 : now() - started;
    const read = this.known.length > 0;
    if (read !== this.isRead) {
      this.isRead = read;
      this.options.onChange(read);
    }
    this.timer = setTimeout(() => void this.look(), nextLookMs(spent, pollMs, maxShare));
    this.timer.unref?.();
  }
}
