import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FfmpegNotFoundError, locateFfmpeg } from '../io/ffmpeg/locate';
import { CommandError } from './errors';

/**
 * `backdrop cameras`: the V4L2 devices a run can take as --camera, with the formats each offers, and the
 * up-front check that a --camera device exists before any model is loaded.
 */

export interface CameraDevice {
  path: string;
  /** The driver's name for it (sysfs), when known. */
  name: string | null;
  /** One line per pixel format with its sizes; empty: the node captures no video (metadata, an output); null: not listable. */
  formats: string[] | null;
}

export interface CameraListing {
  /** Where device nodes live; /dev, or a fake folder in tests. */
  devDir: string;
  /** Where the kernel describes them; /sys/class/video4linux. */
  sysfsDir: string;
  /** The formats of one device; null when no tool could list them. */
  formatsOf(path: string): Promise<string[] | null>;
}

export const CAMERAS_USAGE = `Usage: backdrop cameras

Lists the V4L2 cameras (/dev/video*) with the formats and sizes each offers, for backdrop run --camera.
Formats come from v4l2-ctl where it is installed, else from ffmpeg.`;

const TOOL_TIMEOUT_MS = 5000;

/** video0, video1, ... in number order (video10 after video2). */
export function videoNodes(names: readonly string[]): string[] {
  return names
    .filter((n) => /^video\d+$/.test(n))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
}

/**
 * `v4l2-ctl --list-formats-ext` -> one line per format: "YUYV 640x480@30 1280x720@10". Sizes without a
 * discrete interval are listed bare.
 */
export function parseV4l2CtlFormats(text: string): string[] {
  const formats: { name: string; sizes: string[] }[] = [];
  let size: string | null = null;
  for (const line of text.split('\n')) {
    const format = /^\s*\[\d+\]: '([^']*)'/.exec(line);
    const discrete = /^\s*Size: Discrete (\d+x\d+)/.exec(line);
    const interval = /^\s*Interval: Discrete [\d.]+s \(([\d.]+) fps\)/.exec(line);
    if (format) {
      formats.push({ name: format[1].trim(), sizes: [] });
      size = null;
    } else if (discrete && formats.length > 0) {
      size = discrete[1];
      formats[formats.length - 1].sizes.push(size);
    } else if (interval && size !== null) {
      // The first interval is the fastest; later ones of the same size add nothing a user picks by.
      const sizes = formats[formats.length - 1].sizes;
      if (sizes[sizes.length - 1] === size) sizes[sizes.length - 1] = `${size}@${Number(interval[1])}`;
    }
  }
  return formats.map((f) => [f.name, ...f.sizes].join(' '));
}

/** `ffmpeg -f v4l2 -list_formats all -i <dev>` (stderr) -> one line per format: "yuyv422 640x480 1280x720". */
export function parseFfmpegFormats(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /\] ((?:Raw|Compressed)\s*:.*)$/.exec(line);
    // Fields are set apart by ' : '; a description's own colons ('YUYV 4:2:2') have no space after them.
    const fields = m ? m[1].split(/\s*:\s+/) : [];
    if (fields.length >= 4) out.push(`${fields[1]} ${fields[fields.length - 1].trim().split(/\s+/).join(' ')}`);
  }
  return out;
}

function output(file: string, args: string[]): Promise<{ stdout: string; stderr: string } | null> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: TOOL_TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      // ffmpeg exits 1 after listing (no output named); only a tool that could not start is no answer.
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') resolve(null);
      else resolve({ stdout, stderr });
    });
  });
}

/** v4l2-ctl when it is installed (it knows frame rates), else ffmpeg; null when neither is there. */
export async function systemFormatsOf(path: string): Promise<string[] | null> {
  const v4l2 = await output('v4l2-ctl', ['--list-formats-ext', '-d', path]);
  if (v4l2 !== null) return parseV4l2CtlFormats(v4l2.stdout);
  let ffmpeg: string;
  try {
    ffmpeg = locateFfmpeg().path;
  } catch (error) {
    if (error instanceof FfmpegNotFoundError) return null;
    throw error;
  }
  const listed = await output(ffmpeg, ['-hide_banner', '-nostdin', '-f', 'v4l2', '-list_formats', 'all', '-i', path]);
  return listed === null ? null : parseFfmpegFormats(listed.stderr);
}

export const SYSTEM_CAMERAS: CameraListing = { devDir: '/dev', sysfsDir: '/sys/class/video4linux', formatsOf: systemFormatsOf };

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

async function sysfsName(sysfsDir: string, node: string): Promise<string | null> {
  try {
    return (await readFile(join(sysfsDir, node, 'name'), 'utf8')).trim() || null;
  } catch {
    return null;
  }
}

export async function listCameras(listing: CameraListing = SYSTEM_CAMERAS): Promise<CameraDevice[]> {
  const nodes = videoNodes(await namesIn(listing.devDir));
  return Promise.all(
    nodes.map(async (node) => {
      const path = join(listing.devDir, node);
      return { path, name: await sysfsName(listing.sysfsDir, node), formats: await listing.formatsOf(path) };
    }),
  );
}

export const NO_CAMERAS_HINT =
  'Plug a camera in and check that it shows up in ls /dev/video*; in a container or VM, pass it through ' +
  '(docker run --device /dev/video0). A video file works as a camera too: backdrop run --camera clip.mp4';

/** What `backdrop cameras` prints. */
export function formatCameraList(devices: readonly CameraDevice[], devDir: string): string[] {
  if (devices.length === 0) return [`No cameras found (no ${join(devDir, 'video*')} devices).`, NO_CAMERAS_HINT];
  const lines: string[] = [];
  for (const device of devices) {
    const name = device.name ? `  ${device.name}` : '';
    if (device.formats === null) {
      lines.push(`${device.path}${name}  (formats unknown: install v4l2-ctl (v4l-utils) or ffmpeg to list them)`);
    } else if (device.formats.length === 0) {
      lines.push(`${device.path}${name}  (no video formats: a metadata or output node, not a camera to open)`);
    } else {
      lines.push(`${device.path}${name}`, ...device.formats.map((f) => `  ${f}`));
    }
  }
  const usable = devices.find((d) => d.formats === null || d.formats.length > 0);
  if (usable) lines.push('', `Use one with: backdrop run --camera ${usable.path}`);
  return lines;
}

/**
 * A --camera device that is not there, or not readable, fails before the engine loads its models, with
 * the way to see which cameras there are.
 */
export async function checkCameraDevice(path: string): Promise<void> {
  let reason: string | null = null;
  try {
    const info = await stat(path);
    if (!info.isCharacterDevice()) reason = 'is not a device node';
    else await access(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    reason =
      code === 'ENOENT'
        ? 'no such device'
        : code === 'EACCES'
          ? 'permission denied (add yourself to the video group: sudo usermod -aG video $USER, then log in again)'
          : (error as Error).message;
  }
  if (reason !== null) throw new CommandError(`--camera ${path}: ${reason}; list the cameras with: backdrop cameras`);
}
