import { describe, expect, it } from 'vitest';
import { classifyRecorderFailure } from '../../../../src/outputs/recorder/errors';

const base = { signal: null, audioInput: 'default', audioLabel: 'microphone "default" (pulse)', output: '/v/x.recording.mp4' };

describe('classifyRecorderFailure', () => {
  it('recognises a full disk, and a file-size limit, before the I/O errors they cause', () => {
    for (const line of ['av_interleaved_write_frame(): No space left on device', 'Error writing trailer of file:/v/x.recording.mp4: File too large']) {
      const e = classifyRecorderFailure({ ...base, lines: ['[mp4 @ 0x1] something', line] });
      expect(e.code).toBe('disk-full');
      expect(e.message).toMatch(/^The disk is full/);
    }
  });

  it('names the microphone that could not be opened and why', () => {
    const e = classifyRecorderFailure({ ...base, lines: ['default: No such entity'] });
    expect(e.code).toBe('microphone-missing');
    expect(e.message).toBe('Could not open the microphone "default" (pulse) (No such entity). Pick another microphone, or record without sound.');
    const alsa = classifyRecorderFailure({
      ...base,
      audioInput: 'hw:7',
      audioLabel: 'microphone "hw:7" (alsa)',
      lines: ['[alsa @ 0x55] cannot open audio device hw:7 (No such file or directory)', 'hw:7: Input/output error'],
    });
    expect(alsa.code).toBe('microphone-missing');
  });

  it('says when the output folder cannot be written', () => {
    const e = classifyRecorderFailure({ ...base, audioInput: null, lines: ['file:/v/x.recording.mp4: Permission denied'] });
    expect(e.code).toBe('cannot-write');
    expect(e.message).toBe('Cannot write the recording to /v/x.recording.mp4: Permission denied');
  });

  it('tells a killed encoder from one that would not start', () => {
    expect(classifyRecorderFailure({ ...base, signal: 'SIGKILL', lines: ['ffmpeg was killed by SIGKILL'] }).code).toBe('encoder-crashed');
    expect(classifyRecorderFailure({ ...base, lines: ["Unknown encoder 'h264_mf'"] }).code).toBe('encoder-failed');
  });
});
