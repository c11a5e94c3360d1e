import { readdirSync, readFileSync, readlinkSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * Finds v4l2loopback devices from sysfs, never by guessing a node number: the number is whatever
 * `video_nr=` or the probe order gave, and a real webcam may sit at the number a guess picks.
 *
 * v4l2loopback is recognised by the sysfs attributes only it creates next to every device it owns
 * (`max_openers`, `buffers`, `format`), or, on builds that hang the device off a parent, by the parent's
 * driver link. The root is a parameter so tests can build a fake tree.
 */

export interface VideoDevice {
  /** e.g. /dev/video4 */
  path: string;
  /** What the device calls itself: v4l2loopback's `card_label`, or a webcam's product name. */
  name: string;
  isLoopback: boolean;
  /**
   * For a loopback device: the format a producer has fixed on it, e.g. "YUYV:1280x720@30", or null
   * when nobody writes to it. A fixed format means another program (OBS's virtual camera, another
   * Backdrop) is feeding it; two producers on one device corrupt both streams.
   */
  producerFormat: string | null;
}

export interface DiscoveryRoots {
  sys: string;
  dev: string;
}

export const SYSTEM_ROOTS: DiscoveryRoots = { sys: '/sys', dev: '/dev' };

const LOOPBACK_ATTRIBUTES = ['max_openers', 'buffers'];
const LOOPBACK_DRIVER = 'v4l2loopback';

function readAttr(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

function driverOf(deviceDir: string): string | null {
  try {
    return basename(readlinkSync(join(deviceDir, 'device', 'driver')));
  } catch {
    return null;
  }
}

function nodeNumber(entry: string): number {
  return Number(/(\d+)$/.exec(entry)?.[1] ?? Number.MAX_SAFE_INTEGER);
}

/** Every video4linux device sysfs knows of, in node order, loopback or not. */
export function listVideoDevices(roots: DiscoveryRoots = SYSTEM_ROOTS): VideoDevice[] {
  const classDir = join(roots.sys, 'class', 'video4linux');
  let entries: string[];
  try {
    entries = readdirSync(classDir).filter((e) => /^video\d+$/.test(e));
  } catch {
    return [];
  }
  entries.sort((a, b) => nodeNumber(a) - nodeNumber(b));
  return entries.map((entry) => {
    const dir = join(classDir, entry);
    const isLoopback = LOOPBACK_ATTRIBUTES.some((a) => existsSync(join(dir, a))) || driverOf(dir) === LOOPBACK_DRIVER;
    const format = isLoopback ? readAttr(join(dir, 'format')) : null;
    return {
      path: join(roots.dev, entry),
      name: readAttr(join(dir, 'name')) ?? entry,
      isLoopback,
      producerFormat: format ? format : null,
    };
  });
}

export function listLoopbackDevices(roots: DiscoveryRoots = SYSTEM_ROOTS): VideoDevice[] {
  return listVideoDevices(roots).filter((d) => d.isLoopback);
}

/** Whether the kernel module is loaded at all (it may be loaded with zero devices: `devices=0`). */
export function loopbackModuleLoaded(roots: DiscoveryRoots = SYSTEM_ROOTS): boolean {
  return existsSync(join(roots.sys, 'module', LOOPBACK_DRIVER));
}

export type DeviceChoice =
  | { ok: true; device: VideoDevice }
  | { ok: false; reason: 'no-loopback' | 'all-busy' | 'not-loopback' | 'busy'; message: string };

/**
 * Picks the device to write to: the one asked for if it is a free loopback device, else the first free
 * loopback device. A device another producer is feeding is never chosen.
 */
export function chooseLoopbackDevice(devices: readonly VideoDevice[], wanted?: string): DeviceChoice {
  if (wanted !== undefined) {
    const device = devices.find((d) => d.path === wanted);
    if (!device || !device.isLoopback) {
      return {
        ok: false,
        reason: 'not-loopback',
        message: `${wanted} is not a v4l2loopback device${device ? ` (it is "${device.name}")` : ''}; writing to a real camera's node would fail or worse`,
      };
    }
    if (device.producerFormat) {
      return {
        ok: false,
        reason: 'busy',
        message: `${wanted} ("${device.name}") is already fed by another program (format ${device.producerFormat}); close it (OBS's virtual camera, another Backdrop) or pick another device`,
      };
    }
    return { ok: true, device };
  }
  const loopbacks = devices.filter((d) => d.isLoopback);
  if (loopbacks.length === 0) return { ok: false, reason: 'no-loopback', message: 'no v4l2loopback device exists' };
  const free = loopbacks.find((d) => !d.producerFormat);
  if (!free) {
    const list = loopbacks.map((d) => `${d.path} (${d.producerFormat})`).join(', ');
    return { ok: false, reason: 'all-busy', message: `every v4l2loopback device is already fed by another program: ${list}` };
  }
  return { ok: true, device: free };
}
