import { existsSync } from 'node:fs';
import { MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseFromEngine, type FromEngine, type ToEngine } from '../../../src/common/contract';
import { EngineFailure } from '../../../src/common/failure';
import type { RgbaImage } from '../../../src/frame';
import { serveEngine } from '../../../src/engine/host';
import { Session, type LiveFrame } from '../../../src/engine/session';
import { spawnEngineWorker, type EngineWorker } from '../../../src/hosts/worker';
import { decodeImage } from '../../../src/io/image';

/** A real photo of a person (NASA, public domain), shipped by Debian's python3-skimage. */
const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const GREEN = [0, 255, 0] as const;

// In astronaut.png the top-right corner is background and the face (around 210, 120) is the person.
const BACKGROUND_AT = { x: 500, y: 10 };
const PERSON_AT = { x: 210, y: 120 };

function pixel(img: RgbaImage, x: number, y: number): number[] {
  const i = (y * img.width + x) * 4;
  return Array.from(img.data.subarray(i, i + 3));
}

function near(a: readonly number[], b: readonly number[], tol: number): boolean {
  return a.every((v, i) => Math.abs(v - b[i]) <= tol);
}

describe.skipIf(!existsSync(ASTRONAUT))('engine on a real photo', () => {
  let photo: RgbaImage;
  let session: Session;

  beforeAll(async () => {
    photo = await decodeImage(ASTRONAUT);
    session = await Session.create({
      modelsDir: 'models',
      config: { background: { kind: 'colour', rgb: GREEN }, matting: 'off', quality: 'balanced' },
      loadImage: decodeImage,
    });
  });
  afterAll(() => session?.close());

  it('keeps the person and replaces the background', async () => {
    const { image, stagesMs } = await session.render(photo);
    expect(near(pixel(image, BACKGROUND_AT.x, BACKGROUND_AT.y), GREEN, 8)).toBe(true);
    expect(near(pixel(image, PERSON_AT.x, PERSON_AT.y), pixel(photo, PERSON_AT.x, PERSON_AT.y), 8)).toBe(true);
    expect(Object.keys(stagesMs).sort()).toEqual(['composite', 'segment', 'upsample']);
    expect(session.summary().frames).toBe(1);
  });

  it('keeps the previous background when an image cannot be read', async () => {
    const err = await session.setBackground({ kind: 'image', path: '/nonexistent/bg.png' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineFailure);
    expect((err as EngineFailure).code).toBe('background-unreadable');
    expect((err as EngineFailure).message).toContain('/nonexistent/bg.png');
    expect(session.backgroundSetting).toEqual({ kind: 'colour', rgb: GREEN });
    const { image } = await session.render(photo);
    expect(near(pixel(image, BACKGROUND_AT.x, BACKGROUND_AT.y), GREEN, 8)).toBe(true);
  });

  it('live: the newest frame wins and the rest are counted as dropped', async () => {
    const live = await Session.create({
      modelsDir: 'models',
      config: { background: { kind: 'colour', rgb: GREEN }, matting: 'off', quality: 'balanced' },
      loadImage: decodeImage,
      live: true,
    });
    const outputs: LiveFrame[] = [];
    const errors: EngineFailure[] = [];
    const done = new Promise<void>((resolve) => {
      for (let id = 0; id < 6; id++) {
        live.push(
          { id, timestamp: performance.timeOrigin + performance.now(), image: { ...photo, data: photo.data.slice() } },
          {
            output: (f) => {
              outputs.push(f);
              if (f.id === 5) resolve();
            },
            error: (e) => errors.push(e),
          },
        );
      }
    });
    await done;
    const stats = live.liveStats();
    // Six frames pushed at once: the first runs, the last waits, the four between are replaced.
    expect(outputs.map((f) => f.id)).toEqual([0, 5]);
    expect(stats.dropped).toBe(4);
    expect(errors).toEqual([]);
    expect(stats.provider).toBe('cpu');
    await live.close();
  });
});

describe.skipIf(!existsSync(ASTRONAUT))('engine worker over a MessagePort', () => {
  let worker: EngineWorker;
  let port: MessagePort;
  const received: FromEngine[] = [];

  const next = (type: FromEngine['type']) =>
    new Promise<FromEngine>((resolve) => {
      const check = () => {
        const i = received.findIndex((m) => m.type === type);
        if (i >= 0) resolve(received.splice(i, 1)[0]);
        else setTimeout(check, 10);
      };
      check();
    });

  const send = (msg: ToEngine | Record<string, unknown>, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

  beforeAll(() => {
    worker = spawnEngineWorker({ modelsDir: 'models' });
    port = worker.connect();
    port.on('message', (m) => received.push(parseFromEngine(m)));
  });
  afterAll(async () => {
    port?.close();
    await worker?.terminate();
  });

  it('answers a malformed message with an error and keeps serving', async () => {
    send({ type: 'frame', id: 1, width: 4, height: 4, timestamp: 0, pixels: new ArrayBuffer(3) });
    const err = await next('error');
    expect(err.type === 'error' && err.error.code).toBe('bad-message');

    send({ type: 'start', config: { background: { kind: 'colour', rgb: GREEN }, matting: 'off', quality: 'balanced' } });
    const ready = await next('ready');
    expect(ready.type === 'ready' && ready.provider).toBe('cpu');

    const photo = await decodeImage(ASTRONAUT);
    const pixels = photo.data.slice().buffer;
    send({ type: 'frame', id: 7, width: photo.width, height: photo.height, timestamp: 1, pixels }, [pixels]);
    // Transferred, not copied: the sender's buffer is gone.
    expect(pixels.byteLength).toBe(0);
    const out = await next('output');
    if (out.type !== 'output') throw new Error('expected an output frame');
    expect(out.id).toBe(7);
    const image = { width: out.width, height: out.height, data: new Uint8Array(out.pixels) };
    expect(near(pixel(image, BACKGROUND_AT.x, BACKGROUND_AT.y), GREEN, 8)).toBe(true);
    expect(near(pixel(image, PERSON_AT.x, PERSON_AT.y), pixel(photo, PERSON_AT.x, PERSON_AT.y), 8)).toBe(true);

    send({ type: 'set-background', background: { kind: 'image', path: '/nonexistent.png' } });
    const bgErr = await next('error');
    expect(bgErr.type === 'error' && bgErr.error.code).toBe('background-unreadable');

    // Stats posted before the output would not count it: wait for one posted after.
    received.splice(0, received.length);
    const stats = await next('stats');
    expect(stats.type === 'stats' && stats.stats.fpsOut).toBeGreaterThan(0);
    // The thread counts are reported as the session set them: one each, live.
    expect(stats.type === 'stats' && stats.stats.threads.segment).toBe(1);
  });
});

describe('engine host stopped while its session loads', () => {
  it('waits for the load, closes the session and only then says stopped; nothing is served after', async () => {
    const events: string[] = [];
    const close = Session.prototype.close;
    const spy = vi.spyOn(Session.prototype, 'close').mockImplementation(async function (this: Session) {
      await close.call(this);
      events.push('closed');
    });
    let deliver: (data: unknown) => void = () => {};
    const stopped = new Promise<void>((resolve) =>
      serveEngine(
        {
          post: (msg) => {
            events.push(msg.type);
            if (msg.type === 'stopped') resolve();
          },
          onMessage: (handler) => (deliver = handler),
          onClose: () => {},
        },
        {
          modelsDir: 'models',
          loadImage: decodeImage,
          loadVideo: () => Promise.reject(new Error('no videos here')),
          threads: 1,
          mattingThreads: 1,
          statsIntervalMs: 20,
        },
      ),
    );
    try {
      // Matting on its thread, with Auto measuring: the most a session does before it is done starting.
      deliver({ type: 'start', config: { background: { kind: 'colour', rgb: GREEN }, matting: 'light', quality: 'auto' } } satisfies ToEngine);
      deliver({ type: 'stop' } satisfies ToEngine);
      await stopped;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(events).toEqual(['closed', 'stopped']);
    } finally {
      spy.mockRestore();
    }
  }, 60_000);
});
