import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETUP,
  manualCommand,
  modprobeArgv,
  persistentConfig,
  pkexecArgv,
  shellQuote,
  virtualCameraAdvice,
  LoopbackSetupError,
} from '../../../../src/outputs/v4l2/setup';

describe('modprobe command', () => {
  it('creates one capture-only device with the label apps will list', () => {
    expect(modprobeArgv()).toEqual(['modprobe', 'v4l2loopback', 'devices=1', 'exclusive_caps=1', 'card_label=Backdrop']);
    expect(modprobeArgv({ cardLabel: 'My Cam', exclusiveCaps: false, videoNr: 10 })).toEqual([
      'modprobe',
      'v4l2loopback',
      'devices=1',
      'exclusive_caps=0',
      'video_nr=10',
      'card_label=My Cam',
    ]);
  });

  it('shows a command that pastes into a shell as is', () => {
    expect(manualCommand()).toBe('sudo modprobe v4l2loopback devices=1 exclusive_caps=1 card_label=Backdrop');
    expect(manualCommand({ cardLabel: 'My Cam', exclusiveCaps: true })).toBe(
      "sudo modprobe v4l2loopback devices=1 exclusive_caps=1 'card_label=My Cam'",
    );
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('runs through pkexec only where pkexec exists, unloading an empty module first', () => {
    expect(pkexecArgv(null, false)).toBeNull();
    expect(pkexecArgv('/usr/bin/pkexec', false)).toEqual(['/usr/bin/pkexec', ...modprobeArgv()]);
    expect(pkexecArgv('/usr/bin/pkexec', true)).toEqual([
      '/usr/bin/pkexec',
      '/bin/sh',
      '-c',
      'modprobe -r v4l2loopback && modprobe v4l2loopback devices=1 exclusive_caps=1 card_label=Backdrop',
    ]);
  });

  it('refuses labels and node numbers the kernel would mangle', () => {
    expect(() => modprobeArgv({ cardLabel: 'a"b', exclusiveCaps: true })).toThrow(LoopbackSetupError);
    expect(() => modprobeArgv({ cardLabel: 'x'.repeat(32), exclusiveCaps: true })).toThrow(/1-31 characters/);
    expect(() => modprobeArgv({ cardLabel: 'ok', exclusiveCaps: true, videoNr: -1 })).toThrow(/video_nr must be an integer in \[0, 255\]/);
  });

  it('writes the reboot-proof config with a quoted label', () => {
    expect(persistentConfig({ cardLabel: 'My Cam', exclusiveCaps: true })).toEqual([
      { path: '/etc/modules-load.d/v4l2loopback.conf', contents: 'v4l2loopback\n' },
      { path: '/etc/modprobe.d/v4l2loopback.conf', contents: 'options v4l2loopback devices=1 exclusive_caps=1 card_label="My Cam"\n' },
    ]);
  });
});

describe('virtualCameraAdvice', () => {
  it('says plainly that Windows and macOS have no virtual camera yet', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const advice = virtualCameraAdvice(platform, { moduleLoaded: false, loopbackDevices: 0 });
      expect(advice.available).toBe(false);
      expect(advice.message).toMatch(/not available on (Windows|macOS) yet/);
      expect(advice.command).toBeNull();
    }
  });

  it('on Linux without a device gives the command and why exclusive_caps matters', () => {
    const advice = virtualCameraAdvice('linux', { moduleLoaded: false, loopbackDevices: 0 });
    expect(advice).toMatchObject({ available: false, command: manualCommand(DEFAULT_SETUP) });
    expect(advice.explanation).toMatch(/Chrome.*lists only such devices/);
    expect(virtualCameraAdvice('linux', { moduleLoaded: true, loopbackDevices: 0 }).command).toBe(
      `sudo modprobe -r v4l2loopback && ${manualCommand()}`,
    );
    expect(virtualCameraAdvice('linux', { moduleLoaded: true, loopbackDevices: 1 }).available).toBe(true);
  });
});
