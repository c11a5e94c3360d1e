/** Messages between the page and the capture worker (capture.worker.ts). */

export type ToCaptureWorker =
  /** The track's frames, transferred so the worker reads them off the page thread. */
  | { type: 'start'; readable: ReadableStream<VideoFrame> }
  /** The engine answered the frame in flight: the next one may go. */
  | { type: 'release' }
  | { type: 'stop' };

export type FromCaptureWorker =
  | { type: 'frame'; id: number; width: number; height: number; timestamp: number; pixels: ArrayBuffer }
  /** Sent at most every ALIVE_INTERVAL_MS while frames arrive, with the frames dropped so far. */
  | { type: 'alive'; dropped: number }
  /** The stream ended: the track stopped or the camera went away. */
  | { type: 'ended' }
  | { type: 'error'; message: string };

export const ALIVE_INTERVAL_MS = 250;
