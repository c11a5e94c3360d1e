import { useEffect, useRef, type ReactNode } from 'react';
import type { OutputMessage } from '../../common/contract';
import { drawFrame } from './draw';

interface Props {
  /** Subscribes to composited frames; drawing bypasses React so a frame costs no re-render. */
  subscribe(cb: (frame: OutputMessage) => void): () => void;
  stream: MediaStream | null;
  /** 'before': the camera as it is; 'after': the engine's output. */
  view: 'before' | 'after';
  /** Mirrors the local preview only (CSS); frames sent to the engine and sinks stay unmirrored. */
  mirrored: boolean;
  /** Floating over the picture: toolbar, notices, banners. They never move the picture. */
  children?: ReactNode;
}

/**
 * The picture fills the space it has at the camera's aspect (object-fit: contain): a 640×360 camera is
 * scaled up, a tall window letterboxes, nothing is ever cropped.
 */
export function Preview({ subscribe, stream, view, mirrored, children }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => subscribe((frame) => canvas.current && drawFrame(canvas.current, frame)), [subscribe]);

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    v.srcObject = stream;
    if (stream) void v.play().catch(() => undefined);
  }, [stream]);

  const mirror = mirrored ? ' mirrored' : '';
  return (
    <div className="preview" data-testid="preview-area" data-view={view}>
      <canvas ref={canvas} data-testid="preview" className={`stage${mirror}`} hidden={view !== 'after'} aria-label="Preview with the new background" role="img" />
      <video ref={video} data-testid="camera-view" className={`stage${mirror}`} hidden={view !== 'before'} muted playsInline autoPlay aria-label="Camera as it is" />
      {children}
    </div>
  );
}
