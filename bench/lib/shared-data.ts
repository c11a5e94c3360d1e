import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The shared data (clips, eval, peers) read in place, never copied: $BACKDROP_SHARED, else `shared/`
 * beside the repository (as CI lays it out), else /work/shared.
 */
export const SHARED_DIR = process.env.BACKDROP_SHARED ?? (existsSync(resolve(REPO, '../shared')) ? resolve(REPO, '../shared') : '/work/shared');
