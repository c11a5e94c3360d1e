import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chooseLoopbackDevice,
  listLoopbackDevices,
  listVideoDevices,
  loopbackModuleLoaded,
  type DiscoveryRoots,
} from '../../../../src/outputs/v4l2/discover';

let root: string;
let roots: DiscoveryRoots;

/** One /sys/class/video4linux/videoN entry, shaped like the kernel's. */
function addDevice(n: number, name: string, attrs: Record<string, string> = {}, driver?: string): void {
  const dir = join(roots.sys, 'class', 'video4linux', `video${n}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'name'), `${name}\n`);
  for (const [k, v] of Object.entries(attrs)) writeFileSync(join(dir, k), v);
  if (driver) {
    const drv = join(root, 'drivers', driver);
    mkdirSync(drv, { recursive: true });
    mkdirSync(join(dir, 'device'));
    symlinkSync(drv, join(dir, 'device', 'driver'));
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'v4l2-sysfs-'));
  roots = { sys: join(root, 'sys'), dev: '/dev' };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('listVideoDevices', () => {
  it('tells loopback devices from webcams by their sysfs attributes and driver, in node order', () => {
    addDevice(10, 'Backdrop', { max_openers: '10\n', buffers: '2\n', format: '' });
    addDevice(0, 'Integrated Camera: Integrated C', {}, 'uvcvideo');
    addDevice(2, 'Dummy video device (0x0000)', {}, 'v4l2loopback');
    expect(listVideoDevices(roots)).toEqual([
      { path: '/dev/video0', name: 'Integrated Camera: Integrated C', isLoopback: false, producerFormat: null },
      { path: '/dev/video2', name: 'Dummy video device (0x0000)', isLoopback: true, producerFormat: null },
      { path: '/dev/video10', name: 'Backdrop', isLoopback: true, producerFormat: null },
    ]);
  });

  it('reads the format another producer fixed on a loopback device', () => {
    addDevice(4, 'OBS Virtual Camera', { max_openers: '10\n', format: 'YUYV:1280x720@30\n' });
    expect(listLoopbackDevices(roots)[0].producerFormat).toBe('YUYV:1280x720@30');
  });

  it('finds nothing, without throwing, where video4linux is absent', () => {
    expect(listVideoDevices(roots)).toEqual([]);
    expect(loopbackModuleLoaded(roots)).toBe(false);
    mkdirSync(join(roots.sys, 'module', 'v4l2loopback'), { recursive: true });
    expect(loopbackModuleLoaded(roots)).toBe(true);
  });
});

describe('chooseLoopbackDevice', () => {
  const webcam = { path: '/dev/video0', name: 'Webcam', isLoopback: false, producerFormat: null };
  const busy = { path: '/dev/video4', name: 'OBS Virtual Camera', isLoopback: true, producerFormat: 'YUYV:1280x720@30' };
  const free = { path: '/dev/video10', name: 'Backdrop', isLoopback: true, producerFormat: null };

  it('picks the first loopback device nobody feeds', () => {
    expect(chooseLoopbackDevice([webcam, busy, free])).toEqual({ ok: true, device: free });
  });

  it('says why when nothing fits', () => {
    expect(chooseLoopbackDevice([webcam])).toMatchObject({ ok: false, reason: 'no-loopback' });
    expect(chooseLoopbackDevice([webcam, busy])).toMatchObject({ ok: false, reason: 'all-busy', message: expect.stringContaining('/dev/video4 (YUYV:1280x720@30)') });
  });

  it('refuses a requested device that is a real camera, busy, or unknown', () => {
    expect(chooseLoopbackDevice([webcam, free], '/dev/video0')).toMatchObject({ ok: false, reason: 'not-loopback', message: expect.stringContaining('"Webcam"') });
    expect(chooseLoopbackDevice([busy], '/dev/video4')).toMatchObject({ ok: false, reason: 'busy', message: expect.stringContaining('YUYV:1280x720@30') });
    expect(chooseLoopbackDevice([free], '/dev/video99')).toMatchObject({ ok: false, reason: 'not-loopback' });
    expect(chooseLoopbackDevice([free], '/dev/video10')).toEqual({ ok: true, device: free });
  });
});
