import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileKernel, kernelNames, moduleText, SIMD_DIR } from '../../../../../scripts/build-wasm';

describe('committed WebAssembly kernels', () => {
  it.each(kernelNames())('%s.wasm.ts is what its AssemblyScript source compiles to (run `npx tsx scripts/build-wasm.ts` after editing it)', async (name) => {
    const committed = readFileSync(join(SIMD_DIR, `${name}.wasm.ts`), 'utf8');
    expect(committed).toBe(moduleText(name, await compileKernel(name)));
  }, 60_000);
});
