import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseY4mHeader, readY4mHeader, Y4mHeaderError } from '../../../src/io/y4m';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseY4mHeader', () => {
  it('reads size and rate, ignoring the tags it does not need', () => {
    expect(parseY4mHeader(bytes('YUV4MPEG2 W160 H120 F30000:1001 Ip A1:1 C420jpeg XYSCSS=420JPEG\nFRAME\n'))).toEqual({
      width: 160,
      height: 120,
      rate: { num: 30000, den: 1001 },
    });
  });

  it('has no rate for F0:0, a zero denominator or no F at all', () => {
    expect(parseY4mHeader(bytes('YUV4MPEG2 W2 H2 F0:0\n')).rate).toBeNull();
    expect(parseY4mHeader(bytes('YUV4MPEG2 W2 H2 F25:0\n')).rate).toBeNull();
    expect(parseY4mHeader(bytes('YUV4MPEG2 W2 H2 C420\n')).rate).toBeNull();
  });

  it('refuses what is not a y4m header, saying why', () => {
    const reason = (text: string) => {
      try {
        parseY4mHeader(bytes(text));
      } catch (error) {
        expect(error).toBeInstanceOf(Y4mHeaderError);
        return (error as Y4mHeaderError).reason;
      }
      throw new Error('expected a Y4mHeaderError');
    };
    expect(reason('RIFF W2 H2\n')).toBe('it does not start with YUV4MPEG2');
    expect(reason('YUV4MPEG2 W2 H2')).toMatch(/no end of line/);
    expect(reason('YUV4MPEG2 H2 F1:1\n')).toMatch(/no W/);
    expect(reason('YUV4MPEG2 W0 H2\n')).toMatch(/^W \(width\) must be a whole number/);
    expect(reason('YUV4MPEG2 W2 H2 Fx\n')).toMatch(/^F \(frame rate\) must be <num>:<den>/);
    expect(reason(`YUV4MPEG2 W2 H2 X${'a'.repeat(300)}\n`)).toMatch(/no end of line in the first 256 bytes/);
  });
});

describe('readY4mHeader', () => {
  it('reads the header of a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backdrop-y4m-'));
    try {
      const file = join(dir, 'a.y4m');
      await writeFile(file, 'YUV4MPEG2 W4 H2 F0:0 C420jpeg\nFRAME\n' + 'x'.repeat(12));
      expect(await readY4mHeader(file)).toEqual({ width: 4, height: 2, rate: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
