import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseY4mHeader, Y4mHeaderError } from '../../../src/io/y4m';
import { parsesOrRefuses, RUNS } from './support';

const TAGS = ['W64', 'H48', 'F30:1', 'F30000:1001', 'F0:0', 'Ip', 'A1:1', 'C420jpeg', 'XYSCSS=420JPEG', 'W0', 'H', 'F:', 'F1:', 'W99999999', 'F4294967296:1'];

/** Header lines made of real and broken tags, in any order, sometimes cut short or padded past the limit. */
const headers = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constant('YUV4MPEG2') }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }),
    fc.array(fc.oneof(fc.constantFrom(...TAGS), fc.string({ maxLength: 8 })), { maxLength: 8 }),
    fc.oneof({ weight: 4, arbitrary: fc.constant('\n') }, { weight: 1, arbitrary: fc.constantFrom('', '\r\n', ' \n', '\nFRAME\n') }),
    fc.nat(300),
  )
  .map(([magic, tags, end, pad]) => new TextEncoder().encode(`${[magic, ...tags].join(' ')}${pad > 250 ? ' X'.padEnd(pad, 'x') : ''}${end}`));

describe('fuzzing the y4m header parser', () => {
  it('reads a header or throws Y4mHeaderError', () => {
    parsesOrRefuses(fc.oneof({ weight: 4, arbitrary: headers }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) }), parseY4mHeader, Y4mHeaderError);
  });

  it('never gives a zero, negative or non-finite size or rate', () => {
    fc.assert(
      fc.property(headers, (bytes) => {
        let header;
        try {
          header = parseY4mHeader(bytes);
        } catch {
          return;
        }
        expect(header.width).toBeGreaterThan(0);
        expect(header.height).toBeGreaterThan(0);
        if (header.rate) expect(header.rate.num > 0 && header.rate.den > 0 && Number.isFinite(header.rate.num / header.rate.den)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
