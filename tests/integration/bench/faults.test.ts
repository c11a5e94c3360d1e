import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppEngine } from '../../../bench/lib/app-engine';
import { killEngine, killRecorder, VirtualCameraWatch } from '../../../bench/lib/faults';
import { decodeImage } from '../../../src/io/image';
import { ASTRONAUT, PROBE_MISSING } from '../astronaut-clip';

/**
 * The app's engine path survives its faults (bench/faults.ts measures them): the engine process killed
 * mid-session comes back under main's restart policy with the preview and the virtual camera, and the
 * recording's ffmpeg killed leaves a file that plays and a status that tells the user where it is, the
 * virtual camera untouched.
 */
describe.skipIf(PROBE_MISSING)(`faults in the app's engine path${PROBE_MISSING ? ` (skipped: ${PROBE_MISSING})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'faults-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a killed engine process brings back the preview and the virtual camera; a killed recorder leaves a playable file and says so', async () => {
    const fifo = join(dir, 'vcam.y4m');
    execFileSync('mkfifo', [fifo]);
    const vcam = new VirtualCameraWatch(fifo);
    const app = new AppEngine({
      frames: [await decodeImage(ASTRONAUT)],
      config: { background: { kind: 'colour', rgb: [0, 255, 0] }, matting: 'off', quality: 'balanced' },
      virtualCamera: fifo,
      recordingsFolder: dir,
    });
    try {
      app.start();
      await app.outputs.setVirtualCamera(true);
      while (vcam.firstLiveAfter(0) === undefined) await new Promise((r) => setTimeout(r, 100));

      const restart = await killEngine(app, vcam, 60_000);
      expect(restart.restartDelayMs).toBeGreaterThanOrEqual(250);
      expect(restart.previewMs).toBeGreaterThan(restart.readyMs);
      expect(app.outputs.state().virtualCamera).toBe('on');

      const recorder = await killRecorder(app, vcam, 2);
      expect(recorder.told).toMatch(/^Recording stopped: The encoder \(ffmpeg\) was killed by SIGKILL; what was recorded until then is kept\. What was recorded is in .*\.mp4\.$/);
      expect(recorder.savedFrames).toBeGreaterThan(10);
      expect(recorder.decodeErrors).toBe('');
      expect(recorder.virtualCameraLive).toBe(true);
      // Main no longer wants the failed recording, so Record offers to start a new one.
      expect(app.outputs.state().recording).toBe(false);
    } finally {
      await app.stop();
      vcam.close();
    }
  }, 180_000);
});
