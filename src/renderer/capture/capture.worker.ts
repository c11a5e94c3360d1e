/**
 * Reads camera frames (VideoFrame) off the page thread and turns the one that may go to the engine into
 * tightly packed RGBA, transferred to the page. Frames that arrive while one is still in flight are
 * closed at once: a busy engine means drops, not a queue.
 */
import { InFlightGate } from './in-flight-gate';
import { ALIVE_INTERVAL_MS, type FromCaptureWorker, type ToCaptureWorker } from './worker-protocol';

/** A frame the engine never answers holds the gate this long at most. */
const STALE_AFTER_MS = 1000;

const gate = new InFlightGate(STALE_AFTER_MS);
let reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
let nextId = 0;
let dropped = 0;
let lastAlive = 0;
/** Cleared the first time copyTo cannot convert to RGBA (older Chromium); the canvas path is used then. */
let copyToConverts = true;
let canvas: OffscreenCanvas | null = null;

function post(msg: FromCaptureWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, { transfer });
}

async function viaCopyTo(frame: VideoFrame, width: number, height: number): Promise<ArrayBuffer | null> {
  const options: VideoFrameCopyToOptions = { format: 'RGBA', colorSpace: 'srgb' };
  if (frame.allocationSize(options) !== width * height * 4) return null;
  const pixels = new ArrayBuffer(width * height * 4);
  const [plane] = await frame.copyTo(pixels, options);
  return plane && plane.offset === 0 && plane.stride === width * 4 ? pixels : null;
}

function viaCanvas(frame: VideoFrame, width: number, height: number): ArrayBuffer {
  if (!canvas || canvas.width !== width || canvas.height !== height) canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('OffscreenCanvas 2d context is unavailable');
  ctx.drawImage(frame, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height).data.buffer as ArrayBuffer;
}

async function toRgba(frame: VideoFrame, width: number, height: number): Promise<ArrayBuffer> {
  if (copyToConverts) {
    try {
      const pixels = await viaCopyTo(frame, width, height);
      if (pixels) return pixels;
    } catch {
      // Falls through: this Chromium cannot convert in copyTo.
    }
    copyToConverts = false;
  }
  return viaCanvas(frame, width, height);
}

async function handle(frame: VideoFrame): Promise<void> {
  const now = performance.now();
  if (now - lastAlive >= ALIVE_INTERVAL_MS) {
    lastAlive = now;
    post({ type: 'alive', dropped });
  }
  if (!gate.tryAcquire(now)) {
    dropped++;
    return;
  }
  const rect = frame.visibleRect;
  const width = rect?.width ?? frame.displayWidth;
  const height = rect?.height ?? frame.displayHeight;
  const pixels = await toRgba(frame, width, height);
  post({ type: 'frame', id: nextId++, width, height, timestamp: performance.timeOrigin + now, pixels }, [pixels]);
}

async function pump(readable: ReadableStream<VideoFrame>): Promise<void> {
  const own = readable.getReader();
  reader = own;
  try {
    for (;;) {
      const { value: frame, done } = await own.read();
      if (done) break;
      try {
        await handle(frame);
      } finally {
        frame.close();
      }
    }
    if (reader === own) post({ type: 'ended' });
  } catch (error) {
    gate.release();
    if (reader === own) post({ type: 'error', message: (error as Error).message ?? String(error) });
  }
}

async function stop(): Promise<void> {
  const old = reader;
  reader = null;
  gate.release();
  await old?.cancel().catch(() => undefined);
}

self.onmessage = (event: MessageEvent<ToCaptureWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'start':
      void stop().then(() => pump(msg.readable));
      return;
    case 'release':
      gate.release();
      return;
    case 'stop':
      void stop();
      return;
  }
};
