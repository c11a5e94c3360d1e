import { describe, expect, it } from 'vitest';
import { RENDER_USAGE, USAGE } from '../../../src/cli/args';
import { EXIT, main } from '../../../src/cli/main';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } } };
}

describe('main', () => {
  it('prints help on stdout and exits 0', async () => {
    const a = io();
    expect(await main(['--help'], a.io)).toBe(EXIT.ok);
    expect(a.out.join('')).toBe(`${USAGE}\n`);
    const b = io();
    expect(await main(['render', '--help'], b.io)).toBe(EXIT.ok);
    expect(b.out.join('')).toBe(`${RENDER_USAGE}\n`);
    expect(b.err).toEqual([]);
  });

  it('prints a usage mistake as one line on stderr and exits 2', async () => {
    const a = io();
    expect(await main([], a.io)).toBe(EXIT.usage);
    expect(a.err).toEqual(['backdrop: no command given; see backdrop --help\n']);
    const b = io();
    expect(await main(['render', '-i', 'a.mp4', '-o', 'b.gif'], b.io)).toBe(EXIT.usage);
    expect(b.err).toHaveLength(1);
    expect(b.err[0]).toMatch(/^backdrop: --output b\.gif: the extension must be one of [^\n]*\n$/);
    expect(a.out).toEqual([]);
  });
});
