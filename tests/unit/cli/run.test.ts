import { describe, expect, it } from 'vitest';
import type { EngineStats } from '../../../src/common/contract';
import { UsageError } from '../../../src/cli/errors';
import { parseMicrophone, parseRunArgs, STREAM_KEY_ENV, type RunOptions } from '../../../src/cli/run/args';
import { cameraArgs, cameraSpecFor, DEVICE_DEFAULT } from '../../../src/cli/run/camera';
import { formatRunSummary, formatStatus, summarise } from '../../../src/cli/run/summary';

function options(argv: string[], env: Record<string, string> = {}): RunOptions {
  const parsed = parseRunArgs(argv, env);
  if ('help' in parsed) throw new Error('expected options, got help');
  return parsed;
}

function usage(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseRunArgs(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('parseRunArgs', () => {
  it('reads every output and keeps defaults for the rest', () => {
    const o = options(['-c', 'cam.y4m', '--virtual-camera', '/dev/video10', '--record', 'out.MP4', '--duration', '2.5', '--json']);
    expect(o).toMatchObject({
      camera: { kind: 'file', path: 'cam.y4m' },
      background: { kind: 'blur', strength: 0.5 },
      virtualCamera: { kind: 'device', path: '/dev/video10' },
      record: 'out.MP4',
      stream: null,
      microphone: { kind: 'none' },
      durationSec: 2.5,
      json: true,
      people: 'all',
    });
    expect(options(['-c', 'cam.y4m', '--people', 'main']).people).toBe('main');
    expect(options(['-c', 'cam.y4m']).faceModel).toBe('short');
    expect(options(['-c', 'cam.y4m', '--people', 'main', '--face-model', 'full']).faceModel).toBe('full');
  });

  it('takes the stream key from the environment, never from a flag', () => {
    const o = options(['-c', '/dev/video0', '--stream', 'rtmp://live.example.com/app'], { [STREAM_KEY_ENV]: 'k3y' });
    expect(o.camera).toEqual({ kind: 'device', path: '/dev/video0' });
    expect(o.stream?.url).toBe('rtmp://live.example.com/app/k3y');
    expect(usage(['-c', 'x.y4m', '--stream', 'rtmp://live.example.com/app'])).toMatch(/^--stream: no stream key/);
    expect(usage(['-c', 'x.y4m', '--stream-key', 'k'])).toMatch(/unknown option --stream-key/);
  });

  it('refuses what a live run cannot do, saying why', () => {
    expect(usage([])).toBe('--camera is required; see backdrop run --help');
    expect(usage(['-c', 'x.y4m', '-b', 'transparent'])).toMatch(/transparent has no meaning for a live camera/);
    expect(usage(['-c', 'x.y4m', '--record', 'x.mkv'])).toBe('--record writes MP4; x.mkv does not end in .mp4');
    expect(usage(['-c', 'x.y4m', '--duration', '0'])).toMatch(/^--duration must be a positive number/);
    expect(usage(['-c', 'x.y4m', '--duration', '-3'])).toMatch(/^--duration must be a positive number, at most \d+; got "-3"/);
    expect(options(['-c', 'x.y4m', '--background', 'red']).background).toEqual({ kind: 'colour', rgb: [255, 0, 0] });
    expect(options(['-c', 'x.y4m', '--background', '#fff']).background).toEqual({ kind: 'colour', rgb: [255, 255, 255] });
    expect(options(['-c', 'x.y4m']).force).toBe(false);
    expect(options(['-c', 'x.y4m', '--record', 'x.mp4', '--force']).force).toBe(true);
    expect(usage(['-c', 'x.y4m', '--fps', '29.97'])).toBe('--fps must be a whole number, got 29.97');
    expect(usage(['-c', 'x.y4m', '--people', 'everyone'])).toMatch(/^--people must be one of all, main/);
    expect(usage(['-c', 'x.y4m', '--face-model', 'far'])).toBe('--face-model must be one of short, full; got "far"');
    expect(usage(['-c', 'x.y4m', '--stream', 'udp://x'])).toMatch(/^--stream: udp:\/\/ is not supported/);
  });

  it('returns the help text for --help', () => {
    expect(parseRunArgs(['--help'])).toEqual({ help: expect.stringContaining('Usage: backdrop run --camera') });
  });
});

describe('parseMicrophone', () => {
  it('maps kind:device onto an audio source', () => {
    expect(parseMicrophone(undefined)).toEqual({ kind: 'none' });
    expect(parseMicrophone('pulse:default')).toEqual({ kind: 'pulse', device: 'default' });
    expect(parseMicrophone('alsa:hw:1,0')).toEqual({ kind: 'alsa', device: 'hw:1,0' });
    expect(parseMicrophone('lavfi:sine=f=440')).toEqual({ kind: 'lavfi', graph: 'sine=f=440' });
    expect(() => parseMicrophone('pulse:')).toThrow(UsageError);
  });
});

describe('camera', () => {
  it('tells a device from a file', () => {
    expect(cameraSpecFor('/dev/video2', () => false)).toEqual({ kind: 'device', path: '/dev/video2' });
    expect(cameraSpecFor('/run/cam', () => true)).toEqual({ kind: 'device', path: '/run/cam' });
    expect(cameraSpecFor('clip.y4m', () => false)).toEqual({ kind: 'file', path: 'clip.y4m' });
  });

  it('plays a file at its own rate, looping only when asked, scaled to a fixed frame size', () => {
    const format = { width: 640, height: 360, rate: { num: 25, den: 1 }, durationSec: 2 };
    const looped = cameraArgs({ spec: { kind: 'file', path: 'a:b.y4m' }, format, loop: true });
    expect(looped.slice(4, 10)).toEqual(['-re', '-stream_loop', '-1', '-i', 'file:a:b.y4m', '-map']);
    expect(looped.slice(-9)).toEqual(['-vf', 'scale=640:360', '-an', '-sn', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1']);
    expect(cameraArgs({ spec: { kind: 'file', path: 'x.y4m' }, format, loop: false })).not.toContain('-stream_loop');
  });

  it('asks a device for its size and rate', () => {
    const args = cameraArgs({ spec: { kind: 'device', path: '/dev/video0' }, format: DEVICE_DEFAULT, loop: false });
    expect(args.slice(4, 12)).toEqual(['-f', 'v4l2', '-framerate', '30', '-video_size', '1280x720', '-i', '/dev/video0']);
  });
});

const stats = (over: Partial<EngineStats>): EngineStats => ({
  fpsIn: 30,
  fpsOut: 10,
  dropped: 0,
  stagesMs: {},
  provider: 'cpu',
  matting: 'off',
  mattingHz: 0,
  quality: 'balanced',
  latencyMs: { p50: 0, p95: 0 },
  threads: { segment: 1, matte: 0 },
  ...over,
});

describe('summarise', () => {
  it('computes rates, drops, latency quantiles, CPU cores and stage medians by hand-checkable rules', () => {
    const s = summarise({
      seconds: 4,
      framesIn: 120,
      framesOut: 40,
      framesIdle: 0,
      latencies: [100, 200, 300, 400, 500],
      cpuMicros: 6_000_000,
      peakRssBytes: 300 * 1024 * 1024,
      engineStats: [
        stats({ stagesMs: { segment: 10, composite: 4 }, mattingHz: 2, skippedPercent: 10 }),
        stats({ stagesMs: { segment: 30 }, mattingHz: 4, skippedPercent: 50 }),
        stats({ stagesMs: { segment: 20 }, mattingHz: 3 }),
      ],
      outputs: [],
      engineError: null,
      readyMs: null,
      firstFrameMs: null,
    });
    expect(s).toMatchObject({
      fpsIn: 30,
      fpsOut: 10,
      dropped: 80,
      skippedPercent: 20,
      latencyMs: { p50: 300, p95: 480 },
      cpuCores: 1.5,
      rssMB: 300,
      stagesMs: { segment: 20, composite: 4 },
      mattingHz: 3,
      provider: 'cpu',
      quality: 'balanced',
      threads: { segment: 1, matte: 0 },
    });
    expect(formatRunSummary(s)[1]).toContain('threads segment 1, matte 0');
    expect(formatRunSummary(s)[0]).toContain('80 dropped, skipped 20 %');
  });

  it('reports the time to the first frame with the engine\'s start-up figures from its last stats', () => {
    const startup = { segmenterMs: 80.4, mattingMs: null, autoMs: null, autoCached: false, firstFrameMs: null, warming: true };
    const later = { ...startup, mattingMs: 900.6, autoMs: 3.2, autoCached: true, firstFrameMs: 150.2, warming: false };
    const s = summarise({
      seconds: 2,
      framesIn: 60,
      framesOut: 60,
      framesIdle: 0,
      latencies: [20],
      cpuMicros: 1,
      peakRssBytes: 1,
      engineStats: [stats({ startup }), stats({ startup: later }), stats({})],
      outputs: [],
      engineError: null,
      readyMs: 700.4,
      firstFrameMs: 812.6,
    });
    expect(s.firstFrameMs).toBe(813);
    expect(s.startup).toEqual({ engineReadyMs: 700, segmenterMs: 80, mattingMs: 901, autoMs: 3, autoCached: true, firstFrameMs: 150 });
    expect(formatRunSummary(s)).toContain('first frame 813 ms after start (engine ready 700 ms; matting ready 901 ms into the engine\'s start, Auto cached)');
  });

  it('reads without engine figures (the engine never produced a frame)', () => {
    const s = summarise({ seconds: 0, framesIn: 0, framesOut: 0, framesIdle: 0, latencies: [], cpuMicros: 0, peakRssBytes: 0, engineStats: [], outputs: [], engineError: 'model missing', readyMs: null, firstFrameMs: null });
    expect(s).toMatchObject({ fpsIn: 0, cpuCores: 0, provider: 'none', quality: null, threads: null, stagesMs: {} });
    expect(formatRunSummary(s)).toContain('engine FAILED: model missing');
    expect(formatRunSummary(s)).toContain('median per frame: no frames processed');
  });

  it('lists each output with its failure', () => {
    const s = summarise({
      seconds: 1,
      framesIn: 1,
      framesOut: 1,
      framesIdle: 0,
      latencies: [1],
      cpuMicros: 1,
      peakRssBytes: 1,
      engineStats: [],
      outputs: [{ kind: 'record', target: '/v/x.mp4', framesWritten: 9, framesDropped: 1, note: null, error: 'The disk is full' }],
      engineError: null,
      readyMs: null,
      firstFrameMs: null,
    });
    expect(formatRunSummary(s).at(-1)).toBe('record /v/x.mp4: 9 frames written, 1 dropped; FAILED: The disk is full');
  });

  it('says how many camera frames were not computed while the virtual camera was idle', () => {
    const s = summarise({ seconds: 2, framesIn: 20, framesOut: 20, framesIdle: 40, latencies: [1], cpuMicros: 1, peakRssBytes: 1, engineStats: [], outputs: [], engineError: null, readyMs: null, firstFrameMs: null });
    expect(s).toMatchObject({ framesIdle: 40, dropped: 0, fpsIn: 10 });
    expect(formatRunSummary(s)[0]).toBe('ran 2.0 s: 20 frames in (10.0 fps), 20 out (10.0 fps), 0 dropped, skipped 0 %, 40 not computed while the virtual camera was idle');
  });
});

describe('formatStatus', () => {
  it('is one line of figures and output states', () => {
    expect(formatStatus({ seconds: 12.4, fpsIn: 30, fpsOut: 7.25, latencyP50: 141.6, dropped: 3, outputs: ['rec 1.2 MB 900 kb/s', 'stream live'] })).toBe(
      '12 s | in 30.0 fps | out 7.3 fps | latency 142 ms | dropped 3 | rec 1.2 MB 900 kb/s | stream live',
    );
  });
});
