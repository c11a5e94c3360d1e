/**
 * What the UI shows, and may run through pkexec, when no loopback device exists. Pure: the argv, the
 * copyable command line and the explanation are data, so they are tested and shown exactly as run.
 */

export interface LoopbackSetupOptions {
  /** The name apps list the camera under. */
  cardLabel: string;
  /**
   * Chrome (and so Meet, Teams in the browser, Electron apps) lists a device only if it reports capture
   * capability alone; v4l2loopback reports capture+output unless exclusive_caps=1. Some Zoom builds
   * saw the device only without it, so it stays an option.
   */
  exclusiveCaps: boolean;
  /** Ask for a specific node number; left out, the kernel picks the first free one. */
  videoNr?: number;
}

export const DEFAULT_SETUP: LoopbackSetupOptions = { cardLabel: 'Backdrop', exclusiveCaps: true };

export class LoopbackSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoopbackSetupError';
  }
}

/** v4l2 card names are 32 bytes with the terminator; the kernel's parameter parser splits on quotes. */
const LABEL = /^[A-Za-z0-9 _.()-]{1,31}$/;

function moduleParams(opts: LoopbackSetupOptions): string[] {
  if (!LABEL.test(opts.cardLabel)) {
    throw new LoopbackSetupError(
      `camera label ${JSON.stringify(opts.cardLabel)} must be 1-31 characters of letters, digits, spaces and _ . ( ) -`,
    );
  }
  if (opts.videoNr !== undefined && !(Number.isInteger(opts.videoNr) && opts.videoNr >= 0 && opts.videoNr < 256)) {
    throw new LoopbackSetupError(`video_nr must be an integer in [0, 255], got ${opts.videoNr}`);
  }
  return [
    'devices=1',
    `exclusive_caps=${opts.exclusiveCaps ? 1 : 0}`,
    ...(opts.videoNr !== undefined ? [`video_nr=${opts.videoNr}`] : []),
    // modprobe quotes a value holding spaces itself when it passes the options to the kernel.
    `card_label=${opts.cardLabel}`,
  ];
}

/** `modprobe v4l2loopback ...` as an argv (run as root). */
export function modprobeArgv(opts: LoopbackSetupOptions = DEFAULT_SETUP): string[] {
  return ['modprobe', 'v4l2loopback', ...moduleParams(opts)];
}

/** POSIX shell quoting, so the command the UI shows can be pasted into a terminal as is. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** What the user can paste into a terminal. */
export function manualCommand(opts: LoopbackSetupOptions = DEFAULT_SETUP): string {
  return `sudo ${commandLine(modprobeArgv(opts))}`;
}

/**
 * The argv for the "create it for me" button, or null where pkexec is not installed. A module loaded
 * with no device must be unloaded first: modprobe does nothing for a module that is already in.
 */
export function pkexecArgv(
  pkexecPath: string | null,
  moduleLoaded: boolean,
  opts: LoopbackSetupOptions = DEFAULT_SETUP,
): string[] | null {
  if (!pkexecPath) return null;
  if (!moduleLoaded) return [pkexecPath, ...modprobeArgv(opts)];
  return [pkexecPath, '/bin/sh', '-c', `modprobe -r v4l2loopback && ${commandLine(modprobeArgv(opts))}`];
}

/** Files that make the device come back after a reboot (modules-load.d loads, modprobe.d configures). */
export function persistentConfig(opts: LoopbackSetupOptions = DEFAULT_SETUP): { path: string; contents: string }[] {
  const params = moduleParams(opts).map((p) => (p.startsWith('card_label=') && p.includes(' ') ? `card_label="${opts.cardLabel}"` : p));
  return [
    { path: '/etc/modules-load.d/v4l2loopback.conf', contents: 'v4l2loopback\n' },
    { path: '/etc/modprobe.d/v4l2loopback.conf', contents: `options v4l2loopback ${params.join(' ')}\n` },
  ];
}

export const EXCLUSIVE_CAPS_EXPLANATION =
  'exclusive_caps=1 makes the device announce itself as a capture-only camera once Backdrop writes to it. ' +
  'Chrome, and every app built on it (Google Meet, Teams on the web, Discord, Electron apps), lists only such ' +
  'devices, so without the option the camera never appears there. A few Zoom versions show the device only ' +
  'without it; if Zoom does not list "Backdrop", reload the module with exclusive_caps=0.';

export type Platform = NodeJS.Platform;

export interface VirtualCameraAdvice {
  available: boolean;
  /** One paragraph for the UI. */
  message: string;
  /** What to paste into a terminal, when a command helps. */
  command: string | null;
  explanation: string | null;
}

/**
 * What the virtual camera panel says, from the platform and what discovery found. Windows and macOS
 * are told plainly that there is no virtual camera yet (docs/virtual-camera.md has the design).
 */
export function virtualCameraAdvice(
  platform: Platform,
  found: { moduleLoaded: boolean; loopbackDevices: number },
  opts: LoopbackSetupOptions = DEFAULT_SETUP,
): VirtualCameraAdvice {
  if (platform === 'win32' || platform === 'darwin') {
    const name = platform === 'win32' ? 'Windows' : 'macOS';
    return {
      available: false,
      message: `The virtual camera is not available on ${name} yet. Recording and streaming work; the virtual camera needs a signed ${platform === 'win32' ? 'Media Foundation / DirectShow camera source' : 'CoreMediaIO camera extension'}, which Backdrop does not ship yet.`,
      command: null,
      explanation: null,
    };
  }
  if (platform !== 'linux') {
    return { available: false, message: `The virtual camera is only implemented for Linux (v4l2loopback); this is ${platform}.`, command: null, explanation: null };
  }
  if (found.loopbackDevices > 0) return { available: true, message: 'A v4l2loopback device is ready.', command: null, explanation: null };
  const message = found.moduleLoaded
    ? 'The v4l2loopback module is loaded but has no device. Reload it with one device for Backdrop:'
    : 'No virtual camera device exists. Create one with the v4l2loopback kernel module (package v4l2loopback-dkms on Debian and Ubuntu):';
  const command = found.moduleLoaded ? `sudo modprobe -r v4l2loopback && ${manualCommand(opts)}` : manualCommand(opts);
  return { available: false, message, command, explanation: EXCLUSIVE_CAPS_EXPLANATION };
}
