import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import type { OutputMessage } from '../../common/contract';
import { drawFrame } from './draw';
import { visibleLayer } from './layers';
import { previewPointToFrame } from './pick';

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
  /** 'People I pick': a click on the picture, as a point normalised to the (unmirrored) frame. */
  onPick?(point: { x: number; y: number }): void;
}

/**
 * The picture fills the space it has at the camera's aspect (object-fit: contain): a 640×360 camera is
 * scaled up, a tall window letterboxes, nothing is ever cropped.
 */
export function Preview({ subscribe, stream, view, mirrored, children, onPick }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const [hasOutput, setHasOutput] = useState(false);
  const layer = visibleLayer(view, hasOutput);

  useEffect(
    () =>
      subscribe((frame) => {
        if (!canvas.current) return;
        drawFrame(canvas.current, frame);
        setHasOutput(true);
      }),
    [subscribe],
  );

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    v.srcObject = stream;
    if (stream) void v.play().catch(() => undefined);
  }, [stream]);

  // The click is taken on screen (the box as drawn, flip included), so the mirror is undone once, here.
  const pick = (e: MouseEvent<HTMLCanvasElement | HTMLVideoElement>, frame: { width: number; height: number }) => {
    const box = e.currentTarget.getBoundingClientRect();
    const point = previewPointToFrame({ x: e.clientX - box.left, y: e.clientY - box.top }, box, frame, mirrored);
    if (point) onPick?.(point);
  };
  const className = `stage${mirrored ? ' mirrored' : ''}${onPick ? ' picking' : ''}`;
  return (
    <div className="preview" data-testid="preview-area" data-view={view}>
      <canvas
        ref={canvas}
        data-testid="preview"
        className={className}
        hidden={layer !== 'output'}
        aria-label={onPick ? 'Preview with the new background; click a person to keep or drop them' : 'Preview with the new background'}
        role="img"
        onClick={onPick ? (e) => pick(e, e.currentTarget) : undefined}
      />
      <video
        ref={video}
        data-testid="camera-view"
        className={className}
        hidden={layer !== 'camera'}
        muted
        playsInline
        autoPlay
        aria-label="Camera as it is"
        onClick={onPick ? (e) => pick(e, { width: e.currentTarget.videoWidth, height: e.currentTarget.videoHeight }) : undefined}
      />
      {children}
    </div>
  );
}
