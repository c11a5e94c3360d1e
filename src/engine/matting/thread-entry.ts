/**
 * The matting thread's entry: wires a matter to the thread's port. onnxruntime-node runs inference
 * synchronously on the calling thread, so a 100 ms matte on the engine's thread would hold up every frame
 * behind it; here it blocks only itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ContractError, parseToMatter, type FromMatter, type ToMatter } from '../../common/contract';
import { EngineFailure } from '../../common/failure';
import { createMatter, type Matter, type MatterOptions } from './matter';

const port = parentPort;
const options = workerData as { backdropMatter?: MatterOptions } | null;

if (port && options?.backdropMatter) {
  const created: Promise<Matter> = createMatter(options.backdropMatter);
  created.then(
    (m) => port.postMessage({ type: 'ready', provider: m.provider, fellBack: m.fellBack } satisfies FromMatter),
    (error: unknown) => port.postMessage({ type: 'failed', id: -1, error: EngineFailure.from(error).toContract() } satisfies FromMatter),
  );
  port.on('message', async (data: unknown) => {
    let msg: ToMatter;
    try {
      msg = parseToMatter(data);
    } catch (error) {
      const message = error instanceof ContractError ? error.message : String(error);
      port.postMessage({ type: 'failed', id: -1, error: { code: 'bad-message', message } } satisfies FromMatter);
      return;
    }
    if (msg.type === 'dispose') {
      try {
        await (await created.catch(() => null))?.dispose();
      } finally {
        // With the port closed nothing keeps the thread alive: it ends, and its host knows it is done.
        port.close();
      }
      return;
    }
    try {
      const matter = await created;
      const { alpha, foreground, fit } = await matter.matte(msg.image, msg.trimap, msg.region);
      const reply: FromMatter = { type: 'matte', id: msg.id, alpha, foreground, fit };
      port.postMessage(reply, [alpha.data.buffer, foreground.data.buffer, fit.coef.buffer, fit.near.buffer, fit.alpha.buffer] as ArrayBuffer[]);
    } catch (error) {
      port.postMessage({ type: 'failed', id: msg.id, error: EngineFailure.from(error).toContract() } satisfies FromMatter);
    }
  });
}
