// Draws docs/architecture.svg from dependency-cruiser's graph of src/ (npm run docs:graph; needs graphviz's
// `dot`). Modules are collapsed to their folders and each folder is placed on its floor (.dependency-cruiser.cjs
// names the floors and enforces them); grey arrows are imports, pointing down. The bold blue path is one
// camera frame through the engine, drawn over the same folders, so the picture shows both at once.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cruise = JSON.parse(
  execFileSync('npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 }),
);

/** The floors, top down; a folder not named here is placed by its parent. */
const FLOORS = [
  ['entries', ['src/main', 'src/cli', 'src/hosts', 'src/dev-server', 'src/renderer', 'src/preload']],
  ['outputs and io', ['src/outputs', 'src/io']],
  ['ffmpeg', ['src/io/ffmpeg']],
  ['pipeline and session', ['src/engine']],
  ['matting', ['src/engine/matting']],
  ['stages', ['src/engine/stages', 'src/engine/backgrounds']],
  ['models', ['src/engine/models']],
  ['pixel kernels', ['src/engine/pixels']],
  ['contract', ['src/common']],
  ['ground floor', ['src/frame']],
];
const known = FLOORS.flatMap(([, folders]) => folders).sort((a, b) => b.length - a.length);
const folderOf = (source) => known.find((f) => source === f || source.startsWith(`${f}/`)) ?? null;

const edges = new Set();
for (const module of cruise.modules) {
  const from = folderOf(module.source);
  if (!from) continue;
  for (const dep of module.dependencies) {
    const to = folderOf(dep.resolved);
    if (to && to !== from) edges.add(`${from}\t${to}`);
  }
}

/** One frame: captured by the page or the CLI, through the engine's six stages, out to the page and the outputs. */
const FRAME = [
  ['src/renderer', 'src/hosts', 'camera frame'],
  ['src/hosts', 'src/engine', 'port'],
  ['src/engine', 'src/engine/stages', 'segment, smooth, plan'],
  ['src/engine/stages', 'src/engine/matting', 'matte (own thread)'],
  ['src/engine/matting', 'src/engine/stages', 'upsample, composite'],
  ['src/engine/stages', 'src/hosts', 'composite'],
  ['src/hosts', 'src/outputs', 'offer'],
];

const id = (f) => `"${f}"`;
const label = (f) => f.replace(/^src\//, '');
const lines = [
  'digraph backdrop {',
  '  rankdir=TB; newrank=true; nodesep=0.35; ranksep=0.5;',
  '  node [shape=box, style="rounded,filled", fillcolor="#f4f4f4", fontname="Helvetica", fontsize=11];',
  '  edge [color="#b0b0b0", arrowsize=0.6];',
];
FLOORS.forEach(([name, folders], i) => {
  lines.push(`  subgraph cluster_${i} { label="${name}"; fontname="Helvetica"; fontsize=10; fontcolor="#707070"; color="#dddddd"; style=dashed;`);
  lines.push(`    { rank=same; ${folders.map((f) => `${id(f)} [label="${label(f)}"];`).join(' ')} }`);
  lines.push('  }');
});
for (const e of [...edges].sort()) {
  const [from, to] = e.split('\t');
  lines.push(`  ${id(from)} -> ${id(to)};`);
}
FRAME.forEach(([from, to, what], i) => {
  lines.push(`  ${id(from)} -> ${id(to)} [color="#1f6feb", penwidth=2.2, fontcolor="#1f6feb", fontsize=9, label="${i + 1}. ${what}", constraint=false];`);
});
lines.push('}');

const svg = execFileSync('dot', ['-Tsvg'], { input: lines.join('\n'), encoding: 'utf8' });
writeFileSync(new URL('../docs/architecture.svg', import.meta.url), svg);
console.log(`docs/architecture.svg: ${edges.size} folder imports, ${cruise.modules.length} modules`);
