// Runs the training code's own tests (pytest) with Debian's python3-torch, or says plainly why not.
import { spawnSync } from 'node:child_process';

const python = process.env.BACKDROP_PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import torch, pytest, scipy'], { stdio: 'ignore' });
if (probe.status !== 0) {
  console.log(`training tests skipped: ${python} lacks torch, pytest or scipy (Debian: python3-torch python3-pytest python3-scipy)`);
  process.exit(0);
}
const run = spawnSync(python, ['-m', 'pytest', '-q', 'training/tests'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
