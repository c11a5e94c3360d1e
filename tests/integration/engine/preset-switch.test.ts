/**
 * A hotkey or tray preset on its whole way to the pixels, with the real engine worker: main picks the
 * next preset, the page's EngineLink receives it as a push from its host and sends it on the port its
 * frames use, and the very next frame comes back with the new background.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Background, type OutputMessage, type ToEngine } from '../../../src/common/contract';
import type { RgbaImage } from '../../../src/frame';
import { spawnEngineWorker, type EngineWorker } from '../../../src/hosts/worker';
import { decodeImage } from '../../../src/io/image';
import { BackgroundTracker, actionForHotkey } from '../../../src/main/app-actions';
import { COLOUR_PRESETS, buildPresets } from '../../../src/main/presets';
import type { Host } from '../../../src/renderer/host/host';
import { EngineLink } from '../../../src/renderer/session/engine-link';
import { messagePortTransport } from '../../../src/renderer/transport/port';

/** A real photo of a person (NASA, public domain), shipped by Debian's python3-skimage. */
const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
// In astronaut.png the top-right corner is background and the face (around 210, 120) is the person.
const BACKGROUND_AT = { x: 500, y: 10 };
const PERSON_AT = { x: 210, y: 120 };

function pixel(img: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const i = (y * img.width + x) * 4;
  return Array.from(img.data.subarray(i, i + 3));
}

function near(a: readonly number[], b: readonly number[], tol: number): boolean {
  return a.every((v, i) => Math.abs(v - b[i]) <= tol);
}

if (!existsSync(ASTRONAUT)) console.log(`preset-switch.test.ts: ${ASTRONAUT} missing (apt-get install python3-skimage): skipped`);

describe.skipIf(!existsSync(ASTRONAUT))('a preset switch reaches the next frame', () => {
  let worker: EngineWorker;
  let photo: RgbaImage;
  let link: EngineLink;
  let pushFromMain: (background: Background) => void = () => undefined;
  const outputs: OutputMessage[] = [];
  let frameId = 0;

  const sendFrame = () => {
    const pixels = photo.data.slice().buffer;
    link.sendFrame({ type: 'frame', id: ++frameId, width: photo.width, height: photo.height, timestamp: frameId, pixels } satisfies ToEngine);
    return frameId;
  };
  const outputFor = async (id: number) => {
    await expect.poll(() => outputs.some((o) => o.id === id), { timeout: 60_000 }).toBe(true);
    const out = outputs.find((o) => o.id === id) as OutputMessage;
    return { width: out.width, data: new Uint8Array(out.pixels) };
  };

  beforeAll(async () => {
    photo = await decodeImage(ASTRONAUT);
    worker = spawnEngineWorker({ modelsDir: 'models', threads: 1 });
    const host: Host = {
      kind: 'electron',
      loadSettings: async () => DEFAULT_SETTINGS,
      updateSettings: async () => DEFAULT_SETTINGS,
      listBackgrounds: async () => [],
      onSettingsChanged: () => () => undefined,
      onApplyBackground: (cb) => {
        pushFromMain = cb;
        return () => (pushFromMain = () => undefined);
      },
      // Node's MessagePort speaks the same onmessage/postMessage the page's port does.
      connectEngine: (onTransport) => {
        const transport = messagePortTransport(worker.connect() as unknown as MessagePort);
        onTransport(transport, false);
        return () => transport.close();
      },
    };
    link = new EngineLink(host, { background: { kind: 'colour', rgb: COLOUR_PRESETS[0].rgb }, matting: 'off', quality: 'balanced' });
    link.onOutput((o) => outputs.push(o));
    const ready = new Promise<void>((resolve) => link.onState((state) => state.connection === 'ready' && resolve()));
    link.connect();
    await ready;
  }, 180_000);

  afterAll(async () => {
    link?.close();
    await worker?.terminate();
  });

  it('switches on the first frame sent after the hotkey, without waiting for a confirmation', async () => {
    const grey = COLOUR_PRESETS[0].rgb;
    const first = sendFrame();
    expect(near(pixel(await outputFor(first), BACKGROUND_AT.x, BACKGROUND_AT.y), grey, 8)).toBe(true);

    // What main does on "next preset": step from the background in use, and push the result.
    const presets = buildPresets([]);
    const tracker = new BackgroundTracker({ kind: 'colour', rgb: grey });
    const action = actionForHotkey('nextPreset', { presets, current: tracker.current, lastShown: tracker.lastShown, outputs: { virtualCamera: 'unavailable', recording: false, streaming: false } });
    expect(action).toEqual({ type: 'apply-background', background: { kind: 'colour', rgb: COLOUR_PRESETS[1].rgb } });
    if (action?.type !== 'apply-background') throw new Error('expected a background');
    pushFromMain(action.background);

    const second = sendFrame();
    const image = await outputFor(second);
    expect(near(pixel(image, BACKGROUND_AT.x, BACKGROUND_AT.y), COLOUR_PRESETS[1].rgb, 8)).toBe(true);
    expect(near(pixel(image, PERSON_AT.x, PERSON_AT.y), pixel(photo, PERSON_AT.x, PERSON_AT.y), 8)).toBe(true);
    await expect.poll(() => link.current.background, { timeout: 10_000 }).toEqual({ kind: 'colour', rgb: COLOUR_PRESETS[1].rgb });
  }, 120_000);
});
