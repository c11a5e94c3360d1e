/**
 * Backdrop's floors, written once. Each rule names a floor and what it may not reach; `npm run test:deps`
 * (part of `npm test`) fails on any break, and on any circular import. The floors, bottom up:
 *
 *   frame/              pixel containers (images, mattes, runs): imports nothing
 *   common/             the contract every boundary speaks, parsed on arrival
 *   engine/pixels/      pure pixel kernels
 *   engine/models/      onnxruntime sessions and provider fallback
 *   engine/stages/      one file per pipeline stage, each a pure core (engine/backgrounds/ beside them)
 *   engine/matting/     the matter, its thread and the refiners: the one owner of matting state
 *   engine/faces/       the face detector, its tracks and the people kept: the one owner of people state
 *   engine/ (root)      the pipeline, the session and the port library that serves them
 *   io/ffmpeg/          locating and supervising ffmpeg
 *   io/, outputs/       decoding files; the virtual camera, recorder and streamer
 *   hosts/, cli/, main/, dev-server/   entries that wire the floors below them together
 *   renderer/, preload/ the page, which speaks only the contract
 */
const notFrom = (from, to, comment) => ({ from: { path: from }, to: { path: to }, comment });

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle has no bottom floor: every module in it needs all the others.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'frame-is-the-ground-floor',
      severity: 'error',
      ...notFrom('^src/frame/', '^(?!src/frame/)', 'frame/ holds the types every floor shares, so it may import nothing.'),
    },
    {
      name: 'common-stands-on-frame-only',
      severity: 'error',
      ...notFrom('^src/common/', '^src/(?!common/|frame/)', 'The contract is shared by every process; it may not pull any of them in.'),
    },
    {
      name: 'pixels-are-pure-kernels',
      severity: 'error',
      ...notFrom('^src/engine/pixels/', '^src/(?!frame/|engine/pixels/)', 'Kernels work on pixels only: no stages, models, contract or io.'),
    },
    {
      name: 'stages-below-matting-and-pipeline',
      severity: 'error',
      ...notFrom(
        '^src/engine/stages/',
        '^src/engine/(matting/|backgrounds/|[^/]+$)',
        'A stage is a pure step; what keeps state across frames (matting, the session) builds on stages, not the other way.',
      ),
    },
    {
      name: 'matting-below-pipeline',
      severity: 'error',
      ...notFrom('^src/engine/matting/', '^src/engine/([^/]+$|backgrounds/)', 'Matting is a stage implementation; the pipeline and session use it.'),
    },
    {
      name: 'models-below-stages',
      severity: 'error',
      ...notFrom('^src/engine/models/', '^src/engine/(?!models/)', 'Model loading serves the stages; it knows none of them.'),
    },
    {
      name: 'faces-below-pipeline',
      severity: 'error',
      ...notFrom('^src/engine/faces/', '^src/engine/(pipeline|session|host|matting/)', 'Faces feed a stage; the pipeline and session use them, and matting never sees them.'),
    },
    {
      name: 'pipeline-knows-no-stage',
      severity: 'error',
      ...notFrom('^src/engine/pipeline\\.ts$', '^src/(?!common/)', 'The pipeline runs and times any typed stages; it knows none of them.'),
    },
    {
      name: 'engine-imports-no-host',
      severity: 'error',
      ...notFrom(
        '^src/engine/',
        '^src/(outputs|io|cli|main|renderer|preload|hosts|dev-server)/',
        'The engine is wired to files, outputs and processes by the hosts, which pass them in.',
      ),
    },
    {
      name: 'ffmpeg-is-infrastructure',
      severity: 'error',
      ...notFrom('^src/io/ffmpeg/', '^src/(?!io/ffmpeg/|frame/|common/)', 'ffmpeg/ sits under io/ and the outputs; it uses neither.'),
    },
    {
      name: 'io-below-engine-and-outputs',
      severity: 'error',
      ...notFrom('^src/io/', '^src/(engine|outputs|cli|main|renderer|preload|hosts|dev-server)/', 'io decodes files into frames; it knows nothing of who uses them.'),
    },
    {
      name: 'outputs-below-hosts',
      severity: 'error',
      ...notFrom('^src/outputs/', '^src/(engine|cli|main|renderer|preload|hosts|dev-server)/', 'Outputs take frames; the hosts feed them.'),
    },
    {
      name: 'renderer-speaks-only-the-contract',
      severity: 'error',
      ...notFrom('^src/renderer/', '^src/(?!renderer/|common/)', 'The page runs in a browser sandbox: the contract is all it shares.'),
    },
    {
      name: 'main-does-not-run-the-engine',
      severity: 'error',
      ...notFrom('^src/main/', '^src/(engine|hosts|renderer|cli)/', 'Main forks the engine process; it never loads the engine itself.'),
    },
    {
      name: 'cli-commands-share-flags-not-each-other',
      severity: 'error',
      ...notFrom('^src/cli/run/args\\.ts$', '^src/cli/args\\.ts$', 'The top-level parser hands `run` to its own; shared flag parsing lives in cli/flags.ts.'),
    },
    {
      name: 'build-tools-stay-out-of-src',
      severity: 'error',
      ...notFrom('^src/', '^(tools|scripts|bench|tests|training)/', 'What runs at build time or in the lab is not part of the app.'),
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mjs', '.js'],
    },
    reporterOptions: {
      dot: {
        collapsePattern: '^(src/[^/]+/[^/]+/|src/[^/]+/|node_modules/[^/]+)',
      },
    },
  },
};
