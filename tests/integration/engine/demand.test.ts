import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { FromEngine } from '../../../src/common/contract';
import { FrameDemand } from '../../../src/engine/demand';
import { serveEngine, type EnginePort } from '../../../src/engine/host';
import { decodeImage } from '../../../src/io/image';
import { openLoopingVideo } from '../../../src/io/video-loop';

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!existsSync(ASTRONAUT))('the engine host and the demand for frames', () => {
  const posted: FromEngine[] = [];
  let send: (data: unknown) => void = () => {};
  let close: () => void = () => {};
  afterAll(() => close());

  it('drops frames nobody would see, says ready again when someone would, then composites', async () => {
    const photo = await decodeImage(ASTRONAUT);
    const port: EnginePort = {
      post: (msg) => posted.push(msg),
      onMessage: (handler) => (send = handler),
      onClose: (handler) => (close = handler),
    };
    let previewShown = false;
    const demand = new FrameDemand(() => previewShown);
    serveEngine(port, { modelsDir: 'models', loadImage: decodeImage, loadVideo: (path) => openLoopingVideo(path), demand, statsIntervalMs: 60_000 });
    const frame = (id: number) => ({ type: 'frame', id, width: photo.width, height: photo.height, timestamp: performance.timeOrigin + performance.now(), pixels: photo.data.slice().buffer });
    const readies = () => posted.filter((m) => m.type === 'ready').length;
    const outputs = () => posted.filter((m) => m.type === 'output').map((m) => (m as { id: number }).id);

    send({ type: 'start', config: { background: { kind: 'colour', rgb: [0, 255, 0] }, matting: 'off', quality: 'balanced' } });
    await vi.waitFor(() => expect(readies()).toBe(1), { timeout: 30_000 });
    send(frame(1));
    await sleep(1000);
    expect(outputs()).toEqual([]);

    previewShown = true;
    demand.recheck();
    expect(readies()).toBe(2);
    send(frame(2));
    await vi.waitFor(() => expect(outputs()).toEqual([2]), { timeout: 30_000 });
  }, 60_000);
});
