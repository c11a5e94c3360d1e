import { describe, expect, it } from 'vitest';
import { exitError, FfmpegError, isMeaningfulLine, parseProgressLine, StderrReader } from '../../../../src/io/ffmpeg/progress';

describe('parseProgressLine', () => {
  it('reads frame, fps, time and speed', () => {
    expect(parseProgressLine('frame=   19 fps=7.8 q=-0.0 Lsize=   68400kB time=00:01:02.63 bitrate=884736.5kbits/s speed=5.78x    ')).toEqual({
      frame: 19,
      fps: 7.8,
      timeSec: 62.63,
      speed: 5.78,
    });
  });

  it('gives null for figures ffmpeg reports as N/A, and reads a negative start time', () => {
    expect(parseProgressLine('frame=    0 fps=0.0 q=0.0 size=       0kB time=N/A bitrate=N/A speed=N/A')).toEqual({
      frame: 0,
      fps: 0,
      timeSec: null,
      speed: null,
    });
    expect(parseProgressLine('frame=    1 fps= 29 q=-1.0 size=N/A time=-00:00:00.03 bitrate=N/A speed=N/A')?.timeSec).toBe(-0.03);
  });

  it('ignores everything else', () => {
    expect(parseProgressLine('bad.mp4: Invalid data found when processing input')).toBeNull();
    expect(parseProgressLine('')).toBeNull();
  });
});

describe('isMeaningfulLine', () => {
  it('drops progress, blank lines and the generic epilogue', () => {
    expect(isMeaningfulLine('frame=    1 fps=0.0 q=0.0 size=0kB time=00:00:00.00')).toBe(false);
    expect(isMeaningfulLine('   ')).toBe(false);
    expect(isMeaningfulLine('Conversion failed!')).toBe(false);
    expect(isMeaningfulLine('Exiting normally, received signal 2.')).toBe(false);
    expect(isMeaningfulLine('Error initializing output stream 0:0 -- Error while opening encoder for output stream #0:0')).toBe(false);
    expect(isMeaningfulLine('[libx264 @ 0x5] width not divisible by 2 (63x33)')).toBe(true);
  });
});

describe('StderrReader', () => {
  it('splits on \\r and \\n, holding an unfinished line until the next chunk', () => {
    const reader = new StderrReader();
    expect(reader.push('frame=    1 fps=0.0 q=0.0 size=0kB time=00:00:00.00 speed=   0x    \rfra')).toEqual([
      { frame: 1, fps: 0, timeSec: 0, speed: 0 },
    ]);
    expect(reader.push('me=   19 fps=7.8 q=-0.0 time=00:00:00.63 speed=5.78x    \n[mov @ 0x1] moov atom not found\nbad.mp4: Invalid')).toEqual([
      { frame: 19, fps: 7.8, timeSec: 0.63, speed: 5.78 },
    ]);
    expect(reader.lastMeaningful).toBe('[mov @ 0x1] moov atom not found');
    expect(reader.end()).toEqual([]);
    expect(reader.lastMeaningful).toBe('bad.mp4: Invalid');
    expect(reader.tail).toEqual(['[mov @ 0x1] moov atom not found', 'bad.mp4: Invalid']);
  });

  it('hands each meaningful line on as soon as it is whole, progress lines not included', () => {
    const heard: string[] = [];
    const reader = new StderrReader((line) => heard.push(line));
    reader.push('frame=    1 fps=0.0 q=0.0 size=0kB time=00:00:00.00 speed=   0x    \r[tee @ 0x5] Slave muxer #1 failed: Bro');
    expect(heard).toEqual([]);
    reader.push('ken pipe, continuing with 1/2 slaves.\n');
    expect(heard).toEqual(['[tee @ 0x5] Slave muxer #1 failed: Broken pipe, continuing with 1/2 slaves.']);
  });

  it('keeps only the last 20 meaningful lines', () => {
    const reader = new StderrReader();
    reader.push(Array.from({ length: 25 }, (_, i) => `line ${i}\n`).join(''));
    expect(reader.tail).toHaveLength(20);
    expect(reader.tail[0]).toBe('line 5');
  });
});

describe('exitError', () => {
  it('is null for a clean exit', () => {
    expect(exitError(0, null, new StderrReader())).toBeNull();
  });

  it('explains a failure with the last meaningful line, not the generic epilogue', () => {
    const reader = new StderrReader();
    reader.push('[libx264 @ 0x5] width not divisible by 2 (63x33)\nError initializing output stream 0:0 -- Error while opening encoder\nConversion failed!\n');
    const error = exitError(1, null, reader);
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error?.message).toBe('[libx264 @ 0x5] width not divisible by 2 (63x33)');
    expect(error?.exitCode).toBe(1);
    expect(error?.stderrTail).toEqual(['[libx264 @ 0x5] width not divisible by 2 (63x33)']);
  });

  it('falls back to the exit status or signal when stderr said nothing', () => {
    expect(exitError(234, null, new StderrReader())?.message).toBe('ffmpeg exited with code 234');
    expect(exitError(null, 'SIGSEGV', new StderrReader())?.message).toBe('ffmpeg was killed by SIGSEGV');
  });
});
