/**
 * The bundled background pictures (resources/backgrounds) as the contract's BackgroundEntry list. Plain
 * Node: main answers 'backgrounds:list' with it, and the browser test page's server hands the same list
 * to the page.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { BackgroundEntry } from '../common/contract';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);

/** 'sunny-office_2.png' -> 'Sunny office 2' */
export function backgroundLabel(fileName: string): string {
  const words = fileName.slice(0, fileName.length - extname(fileName).length).replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Image files of a folder, sorted by name; a folder that does not exist holds none. */
export async function listBackgrounds(dir: string): Promise<BackgroundEntry[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()) && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
    .map((n) => ({ id: `image:${n}`, label: backgroundLabel(n), background: { kind: 'image', path: join(resolve(dir), n) } }));
}
