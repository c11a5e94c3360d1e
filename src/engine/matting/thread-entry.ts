/**
 * The matting worker thread. onnxruntime-node runs inference synchronously on the calling thread, so a
 * 100 ms matte on the engine's thread would hold up every frame behind it; here it blocks only itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EngineFailure } from './failure';
import { createMatter, type Matter, type MatterOptions } from './stages/matter';
import type { MatterRequest, MatterResponse } from './stages/matter-thread';

const port = parentPort;
const options = workerData as { backdropMatter?: MatterOptions } | null;

if (port && options?.backdropMatter) {
  const created: Promise<Matter> = createMatter(options.backdropMatter);
  created.then(
    (m) => port.postMessage({ type: 'ready', provider: m.provider, fellBack: m.fellBack } satisfies MatterResponse),
    (error: unknown) => port.postMessage({ type: 'failed', id: -1, error: EngineFailure.from(error).toContract() } satisfies MatterResponse),
  );
  port.on('message', async (msg: MatterRequest) => {
    if (msg.type === 'dispose') {
      await (await created.catch(() => null))?.dispose();
      port.close();
      return;
    }
    try {
      const matter = await created;
      const { alpha, foreground, fit } = await matter.matte(msg.image, msg.trimap, msg.continues);
      const reply: MatterResponse = { type: 'matte', id: msg.id, alpha, foreground, ...(fit ? { fit } : {}) };
      const buffers = [alpha.data.buffer, foreground.data.buffer, ...(fit ? [fit.coef.buffer, fit.near.buffer, fit.alpha.buffer] : [])];
      port.postMessage(reply, buffers as ArrayBuffer[]);
    } catch (error) {
      port.postMessage({ type: 'failed', id: msg.id, error: EngineFailure.from(error).toContract() } satisfies MatterResponse);
    }
  });
}
