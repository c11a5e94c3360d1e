/** Where the e2e tests find their tools and inputs; one place so the config and the specs agree. */
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
/** Debian's Chromium; never a Playwright browser download. */
export const CHROMIUM = process.env.BACKDROP_CHROMIUM ?? '/usr/bin/chromium';
export const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
/** Made by global-setup.ts from the astronaut photo; .cache is git-ignored. */
export const FAKE_CAMERA_Y4M = join(REPO, '.cache/e2e/astronaut-640x360.y4m');
export const RENDERER_DIR = join(REPO, 'out/renderer');

const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/**
 * 'fake': the y4m plays as the only camera and permission is granted without a prompt.
 * 'none': no fake device, so a machine without cameras has none. 'denied': a camera, but prompts are refused.
 */
export function chromiumArgs(camera: 'fake' | 'none' | 'denied'): string[] {
  const fakeDevice = ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${FAKE_CAMERA_Y4M}`];
  switch (camera) {
    case 'fake':
      return [...COMMON_ARGS, '--use-fake-ui-for-media-stream', ...fakeDevice];
    case 'none':
      return [...COMMON_ARGS, '--use-fake-ui-for-media-stream'];
    case 'denied':
      return [...COMMON_ARGS, '--deny-permission-prompts', ...fakeDevice];
  }
}
