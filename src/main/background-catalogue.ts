/** Every picture and video background main offers: the bundled ones, then the user's, with thumbnails. */
import type { BackgroundEntry } from '../common/contract';
import { listBackgrounds } from './backgrounds';
import type { ThumbnailCache } from './thumbnails';
import type { UserBackgrounds } from './user-backgrounds';

export async function backgroundCatalogue(bundledDir: string, user: UserBackgrounds, thumbnails: ThumbnailCache): Promise<BackgroundEntry[]> {
  const bundled: BackgroundEntry[] = [];
  // One at a time: a first run makes each thumbnail with ffmpeg, and the cores are busy with the engine.
  for (const entry of await listBackgrounds(bundledDir)) {
    const path = entry.background.kind === 'image' ? entry.background.path : null;
    const thumbnail = path ? await thumbnails.dataUrl(path, 'image') : null;
    bundled.push({ ...entry, source: 'bundled', ...(thumbnail ? { thumbnail } : {}) });
  }
  return [...bundled, ...(await user.list())];
}
