/**
 * Build-time only (imported by electron.vite.config.ts, never by the page). Under the dev server,
 * @vitejs/plugin-react injects an inline React Refresh preamble and Vite injects CSS as <style> tags; the
 * page's strict CSP blocks both and the app dies at boot. This relaxes the meta policy for `serve` only:
 * the built index.html keeps the strict policy byte for byte.
 */
import type { Plugin } from 'vite';

export class DevCspError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevCspError';
  }
}

export function relaxCspForDev(html: string): string {
  const relaxed = html
    .replace("script-src 'self';", "script-src 'self' 'unsafe-inline';")
    .replace("style-src 'self';", "style-src 'self' 'unsafe-inline';");
  if (relaxed === html) throw new DevCspError("index.html's CSP no longer has \"script-src 'self';\" and \"style-src 'self';\"");
  return relaxed;
}

export function devCsp(): Plugin {
  return {
    name: 'backdrop-dev-csp',
    apply: 'serve',
    transformIndexHtml: { order: 'pre', handler: relaxCspForDev },
  };
}
