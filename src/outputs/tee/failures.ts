/**
 * What the tee muxer prints when one of its outputs fails and the others go on, e.g.
 * `[tee @ 0x55d1c3a8e940] Slave muxer #1 failed: Broken pipe, continuing with 1/2 slaves.` Pure.
 */

export interface TeeOutputFailure {
  /** The output's place in the tee's list (see RECORDING_SLAVE, STREAM_SLAVE). */
  output: number;
  /** ffmpeg's reason, e.g. "No space left on device". */
  reason: string;
}

const SLAVE_FAILED = /Slave muxer #(\d+) failed: (.*), continuing with \d+\/\d+ slaves\.?$/;

export function parseTeeFailure(line: string): TeeOutputFailure | null {
  const m = SLAVE_FAILED.exec(line);
  return m ? { output: Number(m[1]), reason: m[2] } : null;
}
