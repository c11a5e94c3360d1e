/**
 * Turns what modprobe, pkexec and ffmpeg print when the virtual camera fails into one typed error that
 * says what happened and what to do. Pure: input is the text the tools printed.
 */

export type V4l2ErrorCode =
  | 'secure-boot'
  | 'module-missing'
  | 'device-busy'
  | 'no-device'
  | 'permission-denied'
  | 'format-rejected'
  | 'not-authorised'
  | 'odd-size'
  | 'failed';

export class V4l2SinkError extends Error {
  constructor(
    readonly code: V4l2ErrorCode,
    message: string,
    /** The tool's own words, for a details pane or a bug report. */
    readonly detail: string = '',
  ) {
    super(message);
    this.name = 'V4l2SinkError';
  }
}

interface Rule {
  code: V4l2ErrorCode;
  test: RegExp;
  message(device: string): string;
}

/** Order matters: the first rule that matches wins, most specific first. */
const RULES: Rule[] = [
  {
    code: 'secure-boot',
    test: /Key was rejected by service|Required key not available/i,
    message: () =>
      'The kernel refused to load v4l2loopback because Secure Boot only loads signed modules. Either enrol the ' +
      'key DKMS signed it with (Debian/Ubuntu: `sudo mokutil --import /var/lib/dkms/mok.pub`, reboot, and choose ' +
      '"Enroll MOK" on the blue screen) or turn Secure Boot off in the firmware settings.',
  },
  {
    code: 'module-missing',
    test: /Module v4l2loopback not found|could not insert 'v4l2loopback'.*(Unknown symbol|Exec format error)/i,
    message: () =>
      'The v4l2loopback kernel module is not installed for the running kernel. Install it (Debian/Ubuntu: ' +
      '`sudo apt install v4l2loopback-dkms`; Fedora: `v4l2loopback` from RPM Fusion; Arch: `v4l2loopback-dkms`) ' +
      'and, after a kernel update, make sure the matching headers are installed so DKMS can rebuild it.',
  },
  {
    code: 'device-busy',
    test: /Device or resource busy|EBUSY/i,
    message: (device) =>
      `${device} is busy: another program (OBS's virtual camera, another Backdrop) is writing to it, or it was ` +
      'set to a different size by an earlier producer. Close the other program or pick another loopback device.',
  },
  {
    code: 'format-rejected',
    test: /VIDIOC_S_FMT|Invalid argument/i,
    message: (device) =>
      `${device} refused Backdrop's picture format; a previous producer fixed a different size or format on it. ` +
      'Stop everything using it and reload the module (`sudo modprobe -r v4l2loopback` then load it again).',
  },
  {
    code: 'permission-denied',
    test: /Permission denied|EACCES/i,
    message: (device) =>
      `Not allowed to write to ${device}. Add yourself to the group that owns it (usually \`sudo usermod -aG video $USER\`, then log out and back in).`,
  },
  {
    code: 'no-device',
    test: /No such file or directory|No such device|ENOENT|ENODEV/i,
    message: (device) => `${device} does not exist (any more): the v4l2loopback module was unloaded or the device removed.`,
  },
];

/** ffmpeg or modprobe output -> the error to show. `device` names the node in the message. */
export function classifyV4l2Failure(output: string | readonly string[], device: string): V4l2SinkError {
  const text = typeof output === 'string' ? output : output.join('\n');
  const rule = RULES.find((r) => r.test.test(text));
  const detail = text.trim();
  if (rule) return new V4l2SinkError(rule.code, rule.message(device), detail);
  const last = detail.split('\n').at(-1) || 'no output';
  return new V4l2SinkError('failed', `The virtual camera on ${device} stopped: ${last}`, detail);
}

/** pkexec's own exit codes: 126 when the user dismissed the dialog, 127 when not authorised. */
export function classifyPkexecExit(code: number | null, stderr: string, device = 'the virtual camera'): V4l2SinkError | null {
  if (code === 0) return null;
  if (code === 126 || code === 127) {
    return new V4l2SinkError(
      'not-authorised',
      'Creating the virtual camera needs administrator rights, and the request was dismissed or refused. Run the command shown in a terminal instead.',
      stderr.trim(),
    );
  }
  return classifyV4l2Failure(stderr, device);
}
