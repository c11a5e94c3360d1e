/**
 * Camera choices and camera failures as pure functions: the constraints to ask for, which device to
 * use, and what to tell the user when getUserMedia or the track fails.
 */
import { CAPTURE_FPS } from '../../common/contract';

export type CaptureProblemCode = 'no-camera' | 'permission-denied' | 'camera-busy' | 'no-frames' | 'disconnected' | 'unsupported' | 'failed';

export interface CaptureProblem {
  code: CaptureProblemCode;
  message: string;
}

export const CAPTURE_MESSAGES: Record<CaptureProblemCode, string> = {
  'no-camera': 'No camera found. Connect a camera; capture starts as soon as one appears.',
  'permission-denied': 'Camera permission denied. Allow camera access for Backdrop in the system or browser settings.',
  'camera-busy': 'The camera is in use by another application or could not be started.',
  'no-frames':
    'The camera is on but sends no picture. Another app may hold it, or the system privacy settings may block camera access.',
  disconnected: 'The camera was disconnected. Capture resumes when a camera is back.',
  unsupported: 'This browser cannot read camera frames off the page thread (MediaStreamTrackProcessor is missing).',
  failed: 'The camera could not be opened.',
};

export function captureProblem(code: CaptureProblemCode, detail?: string): CaptureProblem {
  return { code, message: detail ? `${CAPTURE_MESSAGES[code]} (${detail})` : CAPTURE_MESSAGES[code] };
}

/** getUserMedia's DOMException names mapped to what the user can act on. */
export function describeCaptureError(error: unknown): CaptureProblem {
  const name = (error as { name?: unknown } | null)?.name;
  const detail = (error as { message?: unknown } | null)?.message;
  const extra = typeof detail === 'string' && detail.length > 0 ? detail : undefined;
  switch (name) {
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return captureProblem('no-camera', extra);
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return captureProblem('permission-denied', extra);
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return captureProblem('camera-busy', extra);
    default:
      return captureProblem('failed', extra ?? String(error));
  }
}

/**
 * Ideal, not exact, sizes: a camera that cannot do 1280x720 still opens at what it can, and the engine
 * takes any size. A chosen device is 'exact' so we never silently open a different camera.
 */
export function cameraConstraints(deviceId: string | null, size: { width: number; height: number }): MediaStreamConstraints {
  return {
    audio: false,
    video: {
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      width: { ideal: size.width },
      height: { ideal: size.height },
      frameRate: { ideal: CAPTURE_FPS, max: CAPTURE_FPS },
    },
  };
}

export interface CameraDevice {
  deviceId: string;
  label: string;
}

/** The preferred camera if it is plugged in, else the first one, else none. */
export function pickCamera(devices: readonly CameraDevice[], preferred: string | null): CameraDevice | null {
  return devices.find((d) => d.deviceId === preferred) ?? devices[0] ?? null;
}

/** Labels are empty until permission is granted; number them so the picker is still usable. */
export function cameraDevices(all: readonly Pick<MediaDeviceInfo, 'kind' | 'deviceId' | 'label'>[]): CameraDevice[] {
  return all
    .filter((d) => d.kind === 'videoinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}
