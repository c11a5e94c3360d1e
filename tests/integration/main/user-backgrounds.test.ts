/**
 * User-added backgrounds with real files and the real ffmpeg: pictures and videos made by ffmpeg at test
 * time, the repo's bundled PNGs, and files that only pretend (a text file named .png, a cut-off PNG).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAddBackgroundResult, parseBackgroundEntries, type AddBackgroundResult } from '../../../src/common/contract';
import { FfmpegNotFoundError, locateFfmpeg } from '../../../src/io/ffmpeg/locate';
import { backgroundCatalogue } from '../../../src/main/background-catalogue';
import { THUMBNAIL_SIZE, ThumbnailCache } from '../../../src/main/thumbnails';
import { UserBackgroundError, UserBackgrounds } from '../../../src/main/user-backgrounds';

const BUNDLED = resolve(import.meta.dirname, '../../../resources/backgrounds');
const ROOM_PNG = join(BUNDLED, 'quiet-room.png');

function findFfmpeg(): string | null {
  try {
    return locateFfmpeg().path;
  } catch (error) {
    if (error instanceof FfmpegNotFoundError) return null;
    throw error;
  }
}
const FFMPEG = findFfmpeg();
if (!FFMPEG) console.log('user-backgrounds.test.ts: no ffmpeg (FFMPEG_PATH, ffmpeg-static or PATH): the ffmpeg-backed cases are skipped');

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function thumbnailSize(result: AddBackgroundResult): { width: number; height: number } {
  if (!result.ok || !result.entry.thumbnail) throw new Error(`expected an entry with a thumbnail, got ${JSON.stringify(result).slice(0, 200)}`);
  return pngSize(Buffer.from(result.entry.thumbnail.slice('data:image/png;base64,'.length), 'base64'));
}

function ffmpeg(...args: string[]): void {
  execFileSync(FFMPEG as string, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

let sources: string;
let userData: string;
let folder: string;
let thumbs: string;

beforeAll(async () => {
  sources = await mkdtemp(join(tmpdir(), 'user-bg-sources-'));
  await writeFile(join(sources, 'notes.png'), 'These are my meeting notes, not a picture.\n');
  await copyFile(ROOM_PNG, join(sources, 'cut-off.png'));
  await truncate(join(sources, 'cut-off.png'), 200);
  await mkdir(join(sources, 'folder.png'));
  if (FFMPEG) {
    ffmpeg('-i', ROOM_PNG, join(sources, 'Beach at noon.jpg'));
    // 4:3, so the 16:9 thumbnail has to crop.
    ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10', '-t', '1', '-c:v', 'mpeg4', join(sources, 'clip.mp4'));
    ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-t', '1', '-c:v', 'libvpx', '-b:v', '200k', join(sources, 'clip.webm'));
  }
  return () => rm(sources, { recursive: true, force: true });
});

beforeEach(async () => {
  userData = await mkdtemp(join(tmpdir(), 'user-bg-data-'));
  folder = join(userData, 'backgrounds');
  thumbs = join(userData, 'thumbnails');
});
afterEach(() => rm(userData, { recursive: true, force: true }));

async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

describe('refusing files that are not pictures or videos', () => {
  it('refuses a text file named .png with a message, and copies nothing', async () => {
    const library = new UserBackgrounds(folder, new ThumbnailCache(thumbs, FFMPEG));
    const result = await library.add(join(sources, 'notes.png'));
    expect(result).toEqual({
      ok: false,
      code: 'not-media',
      message: 'notes.png is not a picture or video (Backdrop takes PNG, JPEG, WebP or GIF pictures, MP4, MOV, WebM or MKV videos). Nothing was added.',
    });
    expect(parseAddBackgroundResult(result)).toEqual(result);
    expect(await listing(folder)).toEqual([]);
    expect(await listing(thumbs)).toEqual([]);
    expect(await library.list()).toEqual([]);
  });

  it('refuses a folder and a path that is gone', async () => {
    const library = new UserBackgrounds(folder, new ThumbnailCache(thumbs, FFMPEG));
    expect(await library.add(join(sources, 'folder.png'))).toMatchObject({ ok: false, code: 'not-media', message: /folder\.png is a folder or device/ });
    expect(await library.add(join(sources, 'vanished.png'))).toMatchObject({ ok: false, code: 'unreadable', message: /vanished\.png could not be read \(ENOENT/ });
    expect(await listing(folder)).toEqual([]);
  });

  it.skipIf(!FFMPEG)('refuses a PNG that is cut off before its picture, and copies nothing', async () => {
    const library = new UserBackgrounds(folder, new ThumbnailCache(thumbs, FFMPEG));
    const result = await library.add(join(sources, 'cut-off.png'));
    expect(result).toMatchObject({ ok: false, code: 'undecodable', message: /^cut-off\.png looks like PNG but could not be decoded \(.+\)\. Nothing was added\.$/ });
    expect(await listing(folder)).toEqual([]);
    expect(await listing(thumbs)).toEqual([]);
  });
});

describe.skipIf(!FFMPEG)('adding pictures and videos', () => {
  it('copies a JPEG under a safe name with a 160x90 thumbnail, keeping the original', async () => {
    const library = new UserBackgrounds(folder, new ThumbnailCache(thumbs, FFMPEG));
    const source = join(sources, 'Beach at noon.jpg');
    const result = await library.add(source);
    expect(result).toMatchObject({
      ok: true,
      warning: null,
      entry: { id: 'user:Beach at noon.jpg', label: 'Beach at noon', source: 'user', background: { kind: 'image', path: join(folder, 'Beach at noon.jpg') } },
    });
    expect(thumbnailSize(result)).toEqual(THUMBNAIL_SIZE);
    expect(await readFile(join(folder, 'Beach at noon.jpg'))).toEqual(await readFile(source));
    expect((await stat(source)).isFile()).toBe(true);
    expect(await listing(thumbs)).toHaveLength(1);
  });

  it('takes videos, names them by their real type and crops the thumbnail to 16:9', async () => {
    const library = new UserBackgrounds(folder, new ThumbnailCache(thumbs, FFMPEG));
    const mp4 = await library.add(join(sources, 'clip.mp4'));
    const webm = await library.add(join(sources, 'clip.webm'));
    expect(mp4).toMatchObject({ ok: true, entry: { id: 'user:clip.mp4', background: { kind: 'video', path: join(folder, 'clip.mp4') } } });
    expect(webm).toMatchObject({ ok: true, entry: { id: 'user:clip.webm', background: { kind: 'video', path: join(folder, 'clip.webm') } } });
    expect(thumbnailSize(mp4)).toEqual(THUMBNAIL_SIZE);
    expect(thumbnailSize(webm)).toEqual(THUMBNAIL_SIZE);
  });

  it('gives the extension of what the bytes are, whatever the name says', async () => {
    const disguised = join(sources, 'holiday.gif');
    await copyFile(join(sources, 'Beach at noon.jpg'), disguised);
    const library = new UserBackgrounds(folder, new ThumbnailCache(thumbs, FFMPEG));
    expect(await library.add(disguised)).toMatchObject({ ok: true, entry: { id: 'user:holiday.jpg' } });
    expect(await listing(folder)).toEqual(['holiday.jpg']);
  });

  it('numbers a second copy of the same name, one drop at a time even when dropped together', async () => {
    const library = new UserBackgrounds(folder, new ThumbnailCache(thumbs, FFMPEG));
    const [first, second] = await Promise.all([library.add(ROOM_PNG), library.add(ROOM_PNG)]);
    expect([first, second].map((r) => r.ok && r.entry.id)).toEqual(['user:quiet-room.png', 'user:quiet-room-2.png']);
    expect(await listing(folder)).toEqual(['quiet-room-2.png', 'quiet-room.png']);
    expect(await listing(thumbs)).toHaveLength(2);
  });

  it('lists what was added, with thumbnails, after a restart', async () => {
    await new UserBackgrounds(folder, new ThumbnailCache(thumbs, FFMPEG)).add(join(sources, 'clip.mp4'));
    await new UserBackgrounds(folder, new ThumbnailCache(thumbs, FFMPEG)).add(ROOM_PNG);
    // Something put in the folder by hand that the engine could not show is left out.
    await writeFile(join(folder, 'readme.txt'), 'hello');
    const entries = await new UserBackgrounds(folder, new ThumbnailCache(thumbs, FFMPEG)).list();
    expect(parseBackgroundEntries(entries)).toEqual(entries);
    expect(entries.map((e) => [e.id, e.background.kind, Boolean(e.thumbnail)])).toEqual([
      ['user:clip.mp4', 'video', true],
      ['user:quiet-room.png', 'image', true],
    ]);
  });

  it('removes a background and its thumbnail, but not the one in use or one outside the folder', async () => {
    const library = new UserBackgrounds(folder, new ThumbnailCache(thumbs, FFMPEG));
    const added = await library.add(ROOM_PNG);
    if (!added.ok) throw new Error(added.message);
    await expect(library.remove('user:quiet-room.png', added.entry.background)).rejects.toThrow(/is the background in use/);
    await expect(library.remove('user:../settings.json', { kind: 'none' })).rejects.toThrow(UserBackgroundError);
    await expect(library.remove('image:dusk-gradient.png', { kind: 'none' })).rejects.toThrow(/no user background/);
    await library.remove('user:quiet-room.png', { kind: 'none' });
    expect(await listing(folder)).toEqual([]);
    expect(await listing(thumbs)).toEqual([]);
  });

  it('lists bundled backgrounds first, with thumbnails made once and reused', async () => {
    const cache = new ThumbnailCache(thumbs, FFMPEG);
    const library = new UserBackgrounds(folder, cache);
    await library.add(join(sources, 'clip.mp4'));
    const entries = await backgroundCatalogue(BUNDLED, library, cache);
    expect(entries.map((e) => [e.id, e.source])).toEqual([
      ['image:dusk-gradient.png', 'bundled'],
      ['image:evening-bokeh.png', 'bundled'],
      ['image:quiet-room.png', 'bundled'],
      ['user:clip.mp4', 'user'],
    ]);
    expect(entries.every((e) => e.thumbnail?.startsWith('data:image/png;base64,'))).toBe(true);
    const made = await Promise.all((await listing(thumbs)).map(async (n) => (await stat(join(thumbs, n))).mtimeMs));
    await backgroundCatalogue(BUNDLED, library, cache);
    expect(await Promise.all((await listing(thumbs)).map(async (n) => (await stat(join(thumbs, n))).mtimeMs))).toEqual(made);
  });
});

describe('without ffmpeg', () => {
  it('adds a real picture without a thumbnail and says why', async () => {
    const library = new UserBackgrounds(folder, new ThumbnailCache(thumbs, null));
    const result = await library.add(ROOM_PNG);
    expect(result).toEqual({
      ok: true,
      entry: { id: 'user:quiet-room.png', label: 'Quiet room', source: 'user', background: { kind: 'image', path: join(folder, 'quiet-room.png') } },
      warning: 'quiet-room.png was added without a thumbnail and without checking that it decodes: ffmpeg was not found.',
    });
    expect(await listing(thumbs)).toEqual([]);
  });

  it('still refuses a text file by its bytes', async () => {
    const library = new UserBackgrounds(folder, new ThumbnailCache(thumbs, null));
    expect(await library.add(join(sources, 'notes.png'))).toMatchObject({ ok: false, code: 'not-media' });
    expect(await listing(folder)).toEqual([]);
  });
});
