/**
 * Security decisions of the main process as pure functions: which URL is our own page, which
 * permission requests to grant, where a window may navigate. main/index.ts wires them to Electron's
 * handlers; keeping them here lets them be tested without Electron.
 */
import { fileURLToPath } from 'node:url';

/** Our renderer: the built index.html on disk, or electron-vite's dev server while developing. */
export type AppPage = { kind: 'file'; path: string } | { kind: 'dev'; origin: string };

export function appPage(devServerUrl: string | undefined, indexHtmlPath: string): AppPage {
  if (devServerUrl) {
    const url = new URL(devServerUrl);
    // Only a local dev server: a remote one would be handed camera access and the preload API.
    if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
      throw new Error(`ELECTRON_RENDERER_URL must be a loopback http URL, got ${devServerUrl}`);
    }
    return { kind: 'dev', origin: url.origin };
  }
  return { kind: 'file', path: indexHtmlPath };
}

export function isOwnPage(url: string | undefined, page: AppPage): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (page.kind === 'dev') return parsed.origin === page.origin;
  // file:// origins are opaque ('null'), so compare the exact file instead of the origin.
  return parsed.protocol === 'file:' && fileURLToPath(parsed) === page.path;
}

/** Media types the page may ask for: we capture video only, so a request for the microphone is refused. */
const ALLOWED_MEDIA = new Set(['video']);

/** setPermissionRequestHandler: grant 'media' (video) to our page, nothing else to anyone. */
export function grantPermissionRequest(
  permission: string,
  requestingUrl: string | undefined,
  page: AppPage,
  mediaTypes: readonly string[] | undefined,
): boolean {
  if (permission !== 'media' || !isOwnPage(requestingUrl, page)) return false;
  return (mediaTypes ?? []).length > 0 && (mediaTypes ?? []).every((t) => ALLOWED_MEDIA.has(t));
}

/**
 * setPermissionCheckHandler: the synchronous checks Chromium makes (device labels in enumerateDevices,
 * for one) where the media type may be 'unknown'.
 */
export function grantPermissionCheck(permission: string, requestingUrl: string | undefined, page: AppPage, mediaType: string | undefined): boolean {
  if (permission !== 'media' || !isOwnPage(requestingUrl, page)) return false;
  return mediaType === undefined || mediaType === 'video' || mediaType === 'unknown';
}

/** will-navigate: the app is one page; any other URL (a dropped file, a link) is refused. */
export function allowNavigation(url: string, page: AppPage): boolean {
  return isOwnPage(url, page);
}
