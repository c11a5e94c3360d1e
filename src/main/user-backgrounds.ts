/**
 * Backgrounds the user adds: a dropped file is checked (its bytes, not its name, must say picture or
 * video, and ffmpeg must decode it) before anything is written, then copied into Backdrop's data folder
 * under a fresh name with a thumbnail. A refused file leaves the folder exactly as it was. Plain Node.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { AddBackgroundRefusal, AddBackgroundResult, Background, BackgroundEntry } from '../common/contract';
import { backgroundLabel } from './backgrounds';
import { SNIFF_BYTES, sniffMediaType, type MediaType, type SniffResult } from './media-type';
import { ThumbnailError, thumbnailDataUrl, type ThumbnailCache } from './thumbnails';

const USER_ID_PREFIX = 'user:';
const MAX_BASE_LENGTH = 80;
const ACCEPTED = 'PNG, JPEG, WebP or GIF pictures, MP4, MOV, WebM or MKV videos';

export class UserBackgroundError extends Error {
  constructor(
    readonly code: 'unknown-id' | 'in-use',
    message: string,
  ) {
    super(message);
    this.name = 'UserBackgroundError';
  }
}

/**
 * A file name that is safe on every OS Backdrop runs on: letters, digits, spaces, '.', '-' and '_' only,
 * no leading dot (hidden, and how partial copies are named), never a Windows device name.
 */
export function safeBaseName(fileName: string): string {
  const stem = fileName.slice(0, fileName.length - extname(fileName).length).normalize('NFC');
  const cleaned = stem
    .replace(/[^\p{L}\p{N} ._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[\s.-]+|[\s.-]+$/g, '')
    .slice(0, MAX_BASE_LENGTH)
    .trim();
  if (cleaned.length === 0) return 'background';
  return /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned) ? `${cleaned}-background` : cleaned;
}

/** `base + ext`, or `base-2 + ext`, ... : the first one not taken, compared case-blind as Windows and macOS do. */
export function uniqueName(base: string, extension: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((n) => n.toLowerCase()));
  let name = `${base}${extension}`;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}-${i}${extension}`;
  return name;
}

export function userBackgroundId(fileName: string): string {
  return `${USER_ID_PREFIX}${fileName}`;
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function refuse(code: AddBackgroundRefusal, message: string): AddBackgroundResult {
  return { ok: false, code, message };
}

function sniffRefusal(name: string, sniffed: Exclude<SniffResult, { ok: true }>): AddBackgroundResult {
  if (sniffed.reason === 'unsupported') {
    return refuse('unsupported-format', `${name} is a ${sniffed.format} file, which Backdrop cannot use; convert it (${ACCEPTED}). Nothing was added.`);
  }
  return refuse('not-media', `${name} is not a picture or video (Backdrop takes ${ACCEPTED}). Nothing was added.`);
}

export class UserBackgrounds {
  /** One intake at a time: two drops of the same name must not both pick "beach.png". */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    /** <userData>/backgrounds */
    readonly dir: string,
    private readonly thumbnails: ThumbnailCache,
  ) {}

  add(source: string): Promise<AddBackgroundResult> {
    const run = this.queue.then(() => this.intake(source));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The folder's pictures and videos by name, each with its thumbnail when one can be made. */
  async list(): Promise<BackgroundEntry[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: BackgroundEntry[] = [];
    for (const name of names.sort()) {
      const path = join(this.dir, name);
      // Someone may have put other files in the folder by hand; only what the engine can show is listed.
      const sniffed = sniffMediaType(await readHead(path).catch(() => new Uint8Array()));
      if (!sniffed.ok) continue;
      entries.push(this.entry(name, sniffed.type, await this.thumbnails.dataUrl(path, sniffed.type.kind)));
    }
    return entries;
  }

  /** Deletes a user background and its thumbnail; refuses the one the engine is showing. */
  async remove(id: string, active: Background): Promise<void> {
    const name = id.startsWith(USER_ID_PREFIX) ? id.slice(USER_ID_PREFIX.length) : '';
    const names = await readdir(this.dir).catch(() => [] as string[]);
    // Matching against the folder's own listing rules out '../', separators and hidden partial copies.
    if (name.startsWith('.') || !names.includes(name)) throw new UserBackgroundError('unknown-id', `no user background ${JSON.stringify(id)} to remove`);
    const path = join(this.dir, name);
    if ((active.kind === 'image' || active.kind === 'video') && resolve(active.path) === resolve(path)) {
      throw new UserBackgroundError('in-use', `${name} is the background in use; switch to another one before removing it`);
    }
    await unlink(path);
    await this.thumbnails.remove(path);
  }

  private entry(name: string, type: MediaType, thumbnail: string | null): BackgroundEntry {
    return {
      id: userBackgroundId(name),
      label: backgroundLabel(name),
      background: { kind: type.kind, path: join(resolve(this.dir), name) },
      source: 'user',
      ...(thumbnail ? { thumbnail } : {}),
    };
  }

  private async intake(source: string): Promise<AddBackgroundResult> {
    const shown = basename(source);
    let info: Stats;
    let head: Uint8Array;
    try {
      info = await stat(source);
      if (!info.isFile()) return refuse('not-media', `${shown} is a folder or device, not a picture or video. Nothing was added.`);
      head = await readHead(source);
    } catch (error) {
      return refuse('unreadable', `${shown} could not be read (${(error as Error).message}). Nothing was added.`);
    }
    if (info.size === 0) return refuse('not-media', `${shown} is empty. Nothing was added.`);
    const sniffed = sniffMediaType(head);
    if (!sniffed.ok) return sniffRefusal(shown, sniffed);
    const type = sniffed.type;

    await mkdir(this.dir, { recursive: true });
    const name = uniqueName(safeBaseName(shown), type.extension, await readdir(this.dir));
    const dest = join(this.dir, name);

    let thumbnail: string | null = null;
    let warning: string | null = null;
    if (this.thumbnails.available) {
      try {
        thumbnail = thumbnailDataUrl(await this.thumbnails.make(source, type.kind, dest));
      } catch (error) {
        if (!(error instanceof ThumbnailError)) throw error;
        return refuse('undecodable', `${shown} looks like ${type.format.toUpperCase()} but could not be decoded (${error.reason}). Nothing was added.`);
      }
    } else {
      warning = `${name} was added without a thumbnail and without checking that it decodes: ffmpeg was not found.`;
    }

    // Copied under a hidden name and renamed once complete: the listing never shows half a file.
    const partial = join(this.dir, `.partial-${randomBytes(6).toString('hex')}`);
    try {
      await copyFile(source, partial, constants.COPYFILE_EXCL);
      // The copy keeps the original's times, so its thumbnail (made just now) counts as up to date.
      await utimes(partial, info.atime, info.mtime);
      await rename(partial, dest);
    } catch (error) {
      await unlink(partial).catch(() => undefined);
      await this.thumbnails.remove(dest).catch(() => undefined);
      return refuse('copy-failed', `${shown} could not be copied into ${this.dir} (${(error as Error).message}). Nothing was added.`);
    }
    return { ok: true, entry: this.entry(name, type, thumbnail), warning };
  }
}
