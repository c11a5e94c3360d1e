// Outside a build, the engine's threads run TypeScript. Booting tsx's loader in a thread and loading ~60
// modules through it costs about half a second per thread, on the way to the first frame; so the threads'
// entries are bundled once with esbuild (tsx's own compiler) into node_modules/.cache/, and the bundle is
// reused while none of its sources changed (their sizes and times are checked at every start). Where
// esbuild or the folder is not there, the caller falls back to tsx.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// BACKDROP_THREADS_BUNDLE names another folder under node_modules/.cache (bench/startup.ts: a cold start).
const OUT = join(ROOT, 'node_modules', '.cache', process.env.BACKDROP_THREADS_BUNDLE || 'backdrop-threads');

/** Every thread entry the source tree starts, bundled together (they share most modules' code paths). */
const ENTRIES = {
  'engine-worker': 'src/hosts/engine-worker.ts',
  'matter-host': 'src/engine/matting/thread-entry.ts',
};

function fresh(manifest) {
  try {
    for (const [file, [mtimeMs, size]] of Object.entries(manifest.inputs)) {
      const s = statSync(join(ROOT, file));
      if (s.mtimeMs !== mtimeMs || s.size !== size) return false;
    }
    return Object.keys(ENTRIES).every((name) => statSync(join(OUT, `${name}.mjs`)).isFile());
  } catch {
    return false;
  }
}

async function build() {
  const esbuild = await import('esbuild');
  // Each process builds into its own folder and renames it into place, so two starts never mix files.
  const temp = `${OUT}.${process.pid}.${Date.now()}`;
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: temp,
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const s = statSync(join(ROOT, file));
    inputs[file] = [s.mtimeMs, s.size];
  }
  writeFileSync(join(temp, 'manifest.json'), JSON.stringify({ inputs }));
  mkdirSync(dirname(OUT), { recursive: true });
  try {
    renameSync(OUT, `${temp}.old`);
    rmSync(`${temp}.old`, { recursive: true, force: true });
  } catch {
    // nothing there yet
  }
  try {
    renameSync(temp, OUT);
  } catch (error) {
    // Another start put its bundle in place first: this one is not needed.
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The bundled file of a thread entry given as a file URL of its source, or null where it is not one of
 * the bundled entries or cannot be bundled here. Sets BACKDROP_MATTER_WORKER (the matting thread's
 * script, as in the built app) for the bundled engine to start its matting thread from.
 */
export async function bundledEntry(entryUrl) {
  const name = Object.keys(ENTRIES).find((n) => pathToFileURL(join(ROOT, ENTRIES[n])).href === entryUrl);
  if (!name) return null;
  try {
    let manifest = null;
    try {
      manifest = JSON.parse(readFileSync(join(OUT, 'manifest.json'), 'utf8'));
    } catch {
      // not built yet
    }
    if (!manifest || !fresh(manifest)) await build();
  } catch {
    return null;
  }
  process.env.BACKDROP_MATTER_WORKER = join(OUT, 'matter-host.mjs');
  return pathToFileURL(join(OUT, `${name}.mjs`)).href;
}
