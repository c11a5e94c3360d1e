/**
 * Small PNG previews of background pictures and videos, made by ffmpeg (it already decodes every format
 * Backdrop accepts) and cached under the user's data folder, keyed by the source's path and refreshed
 * when the source is newer. Decoding a dropped file for its thumbnail doubles as the check that the
 * file really is a usable picture or video.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

export const THUMBNAIL_SIZE: { readonly width: number; readonly height: number } = { width: 160, height: 90 };
/** A thumbnail is one frame; anything slower than this is a stuck decoder, not a big file. */
const THUMBNAIL_TIMEOUT_MS = 20_000;

export class ThumbnailError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`no thumbnail for ${input}: ${reason}`);
    this.name = 'ThumbnailError';
  }
}

/**
 * Fills the box (cover, centre crop) like the engine fits a background to the frame. Of a video, the
 * `thumbnail` filter picks the most typical of its first frames, so a fade from black does not give a
 * black square. `-update 1` writes one file and never reads '%d' in the name as a sequence pattern.
 */
export function thumbnailArgs(input: string, output: string, kind: 'image' | 'video', size = THUMBNAIL_SIZE): string[] {
  if (!isAbsolute(input) || !isAbsolute(output)) throw new ThumbnailError(input, 'thumbnail paths must be absolute (a relative one starting with "-" reads as an option)');
  const { width, height } = size;
  const fit = `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height}`;
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-i', input,
    '-map', '0:v:0', '-an', '-sn', '-dn',
    '-vf', kind === 'video' ? `thumbnail=n=30,${fit}` : fit,
    '-frames:v', '1', '-f', 'image2', '-update', '1', '-c:v', 'png',
    output,
  ];
}

/**
 * ffmpeg's own words, shortened: its first complaints say what is wrong with the file ("chunk too big",
 * "Invalid data found"); the last lines only say that it gave up.
 */
export function ffmpegReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^\[[^\]]* @ 0x[0-9a-f]+\]\s*/, '').trim())
    .filter((l) => l.length > 0);
  return [...new Set(lines)].slice(0, 2).join('; ');
}

/** Writes the thumbnail to `output` through a temp file, so a reader never sees half a PNG. */
export async function makeThumbnail(ffmpegPath: string, input: string, output: string, kind: 'image' | 'video'): Promise<void> {
  const tmp = `${output}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await new Promise<void>((done, fail) => {
      execFile(ffmpegPath, thumbnailArgs(input, tmp, kind), { timeout: THUMBNAIL_TIMEOUT_MS, windowsHide: true }, (error, _stdout, stderr) => {
        if (!error) return done();
        const why = error.killed ? `ffmpeg took longer than ${THUMBNAIL_TIMEOUT_MS / 1000} s` : ffmpegReason(String(stderr)) || error.message;
        fail(new ThumbnailError(input, why));
      });
    });
    // ffmpeg exits 0 without output for a file it opened but found no frame in.
    const written = await stat(tmp).catch(() => null);
    if (!written || written.size === 0) throw new ThumbnailError(input, 'ffmpeg found no picture in it');
    await rename(tmp, output);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

export function thumbnailDataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** Thumbnails by source path: one file per source, remade when the source changes. */
export class ThumbnailCache {
  constructor(
    private readonly dir: string,
    /** Null when no ffmpeg was found: sources then go without thumbnails. */
    private readonly ffmpegPath: string | null,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Whether thumbnails can be made at all (ffmpeg was found). */
  get available(): boolean {
    return this.ffmpegPath !== null;
  }

  fileFor(source: string): string {
    return join(this.dir, `${createHash('sha256').update(resolve(source)).digest('hex').slice(0, 24)}.png`);
  }

  /**
   * Makes the thumbnail of `source` now, failing with ThumbnailError if ffmpeg cannot decode it. It is
   * filed under `filedAs`, so a dropped file's thumbnail can be made before the copy it will belong to.
   */
  async make(source: string, kind: 'image' | 'video', filedAs = source): Promise<Buffer> {
    if (!this.ffmpegPath) throw new ThumbnailError(source, 'ffmpeg was not found');
    await mkdir(this.dir, { recursive: true });
    const file = this.fileFor(filedAs);
    await makeThumbnail(this.ffmpegPath, resolve(source), file, kind);
    return readFile(file);
  }

  /** The cached thumbnail as a data URL, made first when missing or older than the source; null if it cannot be. */
  async dataUrl(source: string, kind: 'image' | 'video'): Promise<string | null> {
    const file = this.fileFor(source);
    const [thumb, src] = await Promise.all([stat(file).catch(() => null), stat(source).catch(() => null)]);
    if (!src) return null;
    try {
      const png = thumb && thumb.mtimeMs >= src.mtimeMs ? await readFile(file) : await this.make(source, kind);
      return thumbnailDataUrl(png);
    } catch (error) {
      this.log(`thumbnail skipped: ${(error as Error).message}`);
      return null;
    }
  }

  async remove(source: string): Promise<void> {
    await unlink(this.fileFor(source)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
