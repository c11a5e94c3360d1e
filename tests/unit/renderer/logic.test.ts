import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EngineStats } from '../../../src/common/contract';
import { RENDERER_CSP } from '../../../src/dev-server/websocket';
import { cameraConstraints, cameraDevices, describeCaptureError, pickCamera } from '../../../src/renderer/capture/camera';
import { InFlightGate } from '../../../src/renderer/capture/in-flight-gate';
import { describeBackground, formatStats, rgbToHex } from '../../../src/renderer/components/format';
import { addNotice } from '../../../src/renderer/components/Notices';
import { parseBackgroundEntries } from '../../../src/common/contract';
import { relaxCspForDev } from '../../../src/renderer/dev-csp';
import { bridgeAddressFromSearch } from '../../../src/renderer/host/browser';

describe('camera failures', () => {
  const named = (name: string, message = '') => Object.assign(new Error(message), { name });

  it('maps getUserMedia errors to what the user can act on', () => {
    expect(describeCaptureError(named('NotFoundError')).code).toBe('no-camera');
    expect(describeCaptureError(named('NotAllowedError', 'Permission denied')).code).toBe('permission-denied');
    expect(describeCaptureError(named('NotReadableError')).code).toBe('camera-busy');
    expect(describeCaptureError(named('OverconstrainedError')).code).toBe('no-camera');
  });

  it('keeps the browser detail in the message', () => {
    expect(describeCaptureError(named('NotAllowedError', 'Permission dismissed')).message).toBe(
      'Camera permission denied. Allow camera access for Backdrop in the system or browser settings. (Permission dismissed)',
    );
  });

  it('reports anything unknown as a failure, never throws', () => {
    expect(describeCaptureError(undefined)).toEqual({ code: 'failed', message: 'The camera could not be opened. (undefined)' });
    expect(describeCaptureError('boom').code).toBe('failed');
  });
});

describe('camera choice', () => {
  it('asks for the size and 30 fps as ideals and the device exactly', () => {
    expect(cameraConstraints('cam-1', { width: 1280, height: 720 })).toEqual({
      audio: false,
      video: {
        deviceId: { exact: 'cam-1' },
        width: { ideal: 1280 },
        height: { ideal: 720 },
        frameRate: { ideal: 30, max: 30 },
      },
    });
    expect(cameraConstraints(null, { width: 640, height: 360 }).video).not.toHaveProperty('deviceId');
  });

  it('prefers the saved camera, else the first, else none', () => {
    const devices = [
      { deviceId: 'a', label: 'A' },
      { deviceId: 'b', label: 'B' },
    ];
    expect(pickCamera(devices, 'b')?.deviceId).toBe('b');
    expect(pickCamera(devices, 'gone')?.deviceId).toBe('a');
    expect(pickCamera([], 'b')).toBeNull();
  });

  it('keeps video inputs only and names unlabelled ones', () => {
    expect(
      cameraDevices([
        { kind: 'audioinput', deviceId: 'm', label: 'Mic' },
        { kind: 'videoinput', deviceId: 'c1', label: '' },
        { kind: 'videoinput', deviceId: 'c2', label: 'Desk cam' },
      ]),
    ).toEqual([
      { deviceId: 'c1', label: 'Camera 1' },
      { deviceId: 'c2', label: 'Desk cam' },
    ]);
  });
});

describe('one frame in flight', () => {
  it('lets one frame go and drops the rest until released', () => {
    const gate = new InFlightGate(1000);
    expect(gate.tryAcquire(0)).toBe(true);
    expect(gate.tryAcquire(10)).toBe(false);
    expect(gate.tryAcquire(999)).toBe(false);
    gate.release();
    expect(gate.tryAcquire(1000)).toBe(true);
  });

  it('frees itself when the engine never answers', () => {
    const gate = new InFlightGate(1000);
    gate.tryAcquire(0);
    expect(gate.tryAcquire(1000)).toBe(true);
    expect(gate.busy).toBe(true);
  });
});

describe('stats line', () => {
  const stats: EngineStats = {
    fpsIn: 29.96,
    fpsOut: 14.04,
    dropped: 3,
    stagesMs: { composite: 2.04, segment: 20.46 },
    provider: 'cpu',
    matting: 'light',
    mattingHz: 4.98,
    quality: 'balanced',
    latencyMs: { p50: 66.4, p95: 90.6 },
    threads: { segment: 1, matte: 1 },
  };

  it('shows fps, stages in pipeline order, drops on both sides, provider, matting, threads and latency', () => {
    expect(formatStats(stats, 10, 'cpu')).toBe(
      'fps in 30.0 / out 14.0 · segment 20.5 ms · composite 2.0 ms · dropped 13 (camera 10, engine 3) · provider cpu · ' +
        'matting light balanced 5.0 Hz · threads segment 1, matte 1 · latency p50 66 ms, p95 91 ms',
    );
  });

  it('says what share of frames reused the last segmentation and matte', () => {
    expect(formatStats({ ...stats, skippedPercent: 39.6 }, 10, 'cpu')).toContain('dropped 13 (camera 10, engine 3) · skipped 40 % · provider cpu');
  });

  it('says what it is waiting for before the first stats', () => {
    expect(formatStats(null, 0, null)).toBe('engine starting…');
    expect(formatStats(null, 0, 'cpu')).toBe('provider cpu · waiting for frames');
    expect(formatStats({ ...stats, stagesMs: {}, matting: 'off', threads: { segment: 1, matte: 0 } }, 0, 'cpu')).toContain(
      'no stages yet · dropped 3 (camera 0, engine 3) · provider cpu · matting off · threads segment 1 ·',
    );
  });
});

describe('background text', () => {
  it('describes each kind briefly', () => {
    expect(rgbToHex([0, 255, 10])).toBe('#00ff0a');
    expect(describeBackground({ kind: 'colour', rgb: [0, 255, 0] })).toBe('colour #00ff00');
    expect(describeBackground({ kind: 'blur', strength: 0.35 })).toBe('blur 35%');
    expect(describeBackground({ kind: 'image', path: '/a/b/room.png' })).toBe('image room.png');
    expect(describeBackground({ kind: 'image', path: 'C:\\bg\\room.png' })).toBe('image room.png');
  });
});

describe('notices', () => {
  it('replaces a notice with the same key so a repeated error shows once', () => {
    let list = addNotice([], { kind: 'error', key: 'a', message: 'one' }, 1);
    list = addNotice(list, { kind: 'info', key: 'b', message: 'two' }, 2);
    list = addNotice(list, { kind: 'error', key: 'a', message: 'three' }, 3);
    expect(list.map((n) => [n.id, n.message])).toEqual([
      [2, 'two'],
      [3, 'three'],
    ]);
  });
});

describe('what the page receives from its host', () => {
  it('validates a background list', () => {
    const ok = [{ id: 'x', label: 'X', background: { kind: 'image', path: '/x.png' } }];
    expect(parseBackgroundEntries(ok)).toEqual(ok);
    expect(() => parseBackgroundEntries({})).toThrow(/must be an array/);
    expect(() => parseBackgroundEntries([{ id: 1, label: 'X', background: { kind: 'none' } }])).toThrow(/string id and label/);
    expect(() => parseBackgroundEntries([{ id: 'x', label: 'X', background: { kind: 'lava' } }])).toThrow(/unknown background kind/);
  });

  it('reads the bridge port and token from the page URL', () => {
    const token = 'ab'.repeat(16);
    expect(bridgeAddressFromSearch(`?ws=4242&token=${token}`)).toEqual({ port: 4242, token });
    expect(() => bridgeAddressFromSearch(`?token=${token}`)).toThrow(/needs \?ws=<port>&token=<token>/);
    expect(() => bridgeAddressFromSearch('?ws=70000&token=' + token)).toThrow(/needs/);
    expect(() => bridgeAddressFromSearch('?ws=4242&token=short')).toThrow(/token in the page URL/);
  });
});

describe('content security policy', () => {
  it('is the same in the page and in the bridge headers', () => {
    const html = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(RENDERER_CSP);
  });

  it('is relaxed for the dev server only where Vite injects inline code', () => {
    const html = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8');
    const relaxed = relaxCspForDev(html);
    expect(relaxed).toContain("script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';");
    expect(relaxed.replace(/ 'unsafe-inline'/g, '')).toBe(html);
    expect(() => relaxCspForDev('<meta content="default-src *">')).toThrow(/no longer has/);
  });

  it('allows scripts from our origin only and no plugins', () => {
    expect(RENDERER_CSP).toContain("script-src 'self';");
    expect(RENDERER_CSP).not.toContain('unsafe-inline');
    expect(RENDERER_CSP).not.toContain('unsafe-eval');
    expect(RENDERER_CSP).toContain("object-src 'none'");
  });
});
