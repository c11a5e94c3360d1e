// Runs at `npm install` / `npm ci`: builds the ONNX segmentation and face detection models from the TFLite
// files of @mediapipe/selfie_segmentation and @mediapipe/face_detection. Plain JS because TypeScript tooling
// may not be usable yet; tsx (a runtime dependency) then runs the TypeScript build script.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-models.ts'], { cwd: root, stdio: 'inherit' });

if (result.error || result.status !== 0) {
  const why = result.error ? result.error.message : `exit code ${result.status ?? result.signal}`;
  console.error(
    `\npostinstall: building models/selfie_segmentation*.onnx and models/face_detection*.onnx failed (${why}).\n` +
      'Backdrop cannot segment or find faces without them. Fix the error above, then run: node scripts/postinstall.js\n',
  );
  process.exit(1);
}
