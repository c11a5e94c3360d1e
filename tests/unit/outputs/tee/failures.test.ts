import { describe, expect, it } from 'vitest';
import { parseTeeFailure } from '../../../../src/outputs/tee/failures';

describe('parseTeeFailure', () => {
  it('reads which output failed and why', () => {
    expect(parseTeeFailure('[tee @ 0x558967052f40] Slave muxer #1 failed: Broken pipe, continuing with 1/2 slaves.')).toEqual({ output: 1, reason: 'Broken pipe' });
    expect(parseTeeFailure('[tee @ 0x560c12eb3f40] Slave muxer #0 failed: No space left on device, continuing with 1/2 slaves.')).toEqual({
      output: 0,
      reason: 'No space left on device',
    });
    // A reason may itself hold commas.
    expect(parseTeeFailure('Slave muxer #2 failed: Server error: a, b, continuing with 2/3 slaves.')).toEqual({ output: 2, reason: 'Server error: a, b' });
  });

  it('ignores every other line, the last output failing included (ffmpeg then exits and says why)', () => {
    for (const line of [
      '[tee @ 0x55] All tee outputs failed.',
      'av_interleaved_write_frame(): Broken pipe',
      'frame=   53 fps= 26 q=6.0 size=N/A time=00:00:02.12 bitrate=N/A speed=1.05x',
      '[flv @ 0x55] Failed to update header with correct duration.',
    ]) {
      expect(parseTeeFailure(line)).toBeNull();
    }
  });
});
