/** Where the e2e tests find their tools and inputs; one place so the config and the specs agree. */
import { join, resolve } from 'node:path';
import { SHARED_DIR } from '../../bench/lib/shared-data';

export const REPO = resolve(import.meta.dirname, '../..');
/** Debian's Chromium; never a Playwright browser download. */
export const CHROMIUM = process.env.BACKDROP_CHROMIUM ?? '/usr/bin/chromium';
export const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
/** Made by global-setup.ts from the astronaut photo; .cache is git-ignored. */
export const FAKE_CAMERA_Y4M = join(REPO, '.cache/e2e/astronaut-640x360.y4m');
export const RENDERER_DIR = join(REPO, 'out/renderer');
/** Two real people at a webcam (openh264's CiscoVT2people), read in place from the shared clips. */
export const TWO_PEOPLE_CLIP = join(SHARED_DIR, 'clips/openh264-vt2people-1280x720.mp4');
/** Made by global-setup.ts from one frame of TWO_PEOPLE_CLIP, where the clip is here. */
export const TWO_PEOPLE_Y4M = join(REPO, '.cache/e2e/two-people-640x360.y4m');

const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/**
 * 'fake': the y4m (the astronaut unless another is named) plays as the only camera and permission is granted without a prompt.
 * 'none': no fake device, so a machine without cameras has none. 'denied': a camera, but prompts are refused.
 */
export function chromiumArgs(camera: 'fake' | 'none' | 'denied', y4m = FAKE_CAMERA_Y4M): string[] {
  const fakeDevice = ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`];
  switch (camera) {
    case 'fake':
      return [...COMMON_ARGS, '--use-fake-ui-for-media-stream', ...fakeDevice];
    case 'none':
      return [...COMMON_ARGS, '--use-fake-ui-for-media-stream'];
    case 'denied':
      return [...COMMON_ARGS, '--deny-permission-prompts', ...fakeDevice];
  }
}
