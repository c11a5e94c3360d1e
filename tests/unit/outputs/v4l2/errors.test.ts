import { describe, expect, it } from 'vitest';
import { classifyPkexecExit, classifyV4l2Failure } from '../../../../src/outputs/v4l2/errors';

describe('classifyV4l2Failure', () => {
  it('recognises Secure Boot refusing the unsigned module and says how to enrol the key', () => {
    const e = classifyV4l2Failure("modprobe: ERROR: could not insert 'v4l2loopback': Key was rejected by service", '/dev/video10');
    expect(e.code).toBe('secure-boot');
    expect(e.message).toMatch(/Secure Boot/);
    expect(e.message).toMatch(/mokutil --import/);
    expect(e.detail).toMatch(/Key was rejected/);
  });

  it('tells a missing module, a busy device, a rejected format, a permission problem and a vanished device apart', () => {
    const cases: [string, string][] = [
      ['modprobe: FATAL: Module v4l2loopback not found in directory /lib/modules/6.1.0-18-amd64', 'module-missing'],
      ['[video4linux2,v4l2 @ 0x55] ioctl(VIDIOC_S_FMT): Device or resource busy', 'device-busy'],
      ['[video4linux2,v4l2 @ 0x55] ioctl(VIDIOC_S_FMT): Invalid argument', 'format-rejected'],
      ["[video4linux2,v4l2 @ 0x55] Unable to open V4L2 device '/dev/video10'\n/dev/video10: Permission denied", 'permission-denied'],
      ['/dev/video10: No such file or directory', 'no-device'],
    ];
    for (const [text, code] of cases) expect(classifyV4l2Failure(text, '/dev/video10').code).toBe(code);
    expect(classifyV4l2Failure(cases[1][0], '/dev/video10').message).toMatch(/^\/dev\/video10 is busy/);
  });

  it('keeps the last line of anything it does not know', () => {
    const e = classifyV4l2Failure(['first', 'something odd happened'], '/dev/video3');
    expect(e.code).toBe('failed');
    expect(e.message).toBe('The virtual camera on /dev/video3 stopped: something odd happened');
  });
});

describe('classifyPkexecExit', () => {
  it('is null on success, not-authorised when the dialog is dismissed, and the module error otherwise', () => {
    expect(classifyPkexecExit(0, '')).toBeNull();
    expect(classifyPkexecExit(126, 'Error executing command as another user: Request dismissed')?.code).toBe('not-authorised');
    expect(classifyPkexecExit(127, '')?.code).toBe('not-authorised');
    expect(classifyPkexecExit(1, "modprobe: ERROR: could not insert 'v4l2loopback': Key was rejected by service")?.code).toBe('secure-boot');
  });
});
