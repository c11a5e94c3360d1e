import { describe, expect, it } from 'vitest';
import { parseCli, RENDER_USAGE, splitVerbose, USAGE } from '../../../src/cli/args';
import { CAMERAS_USAGE } from '../../../src/cli/cameras';
import { parseBackgroundFlag, parseFlags, parseSize } from '../../../src/cli/flags';
import { UsageError } from '../../../src/cli/errors';

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a UsageError');
}

describe('parseBackgroundFlag', () => {
  it('reads every kind of background', () => {
    expect(parseBackgroundFlag('blur')).toEqual({ kind: 'blur', strength: 0.5 });
    expect(parseBackgroundFlag('blur:0.7')).toEqual({ kind: 'blur', strength: 0.7 });
    expect(parseBackgroundFlag('blur:0')).toEqual({ kind: 'blur', strength: 0 });
    expect(parseBackgroundFlag('#00FF80')).toEqual({ kind: 'colour', rgb: [0, 255, 128] });
    expect(parseBackgroundFlag('transparent')).toEqual({ kind: 'transparent' });
    expect(parseBackgroundFlag('none')).toEqual({ kind: 'none' });
    expect(parseBackgroundFlag('beach.jpg')).toEqual({ kind: 'image', path: 'beach.jpg' });
    expect(parseBackgroundFlag('waves.MP4')).toEqual({ kind: 'video', path: 'waves.MP4' });
  });

  it('rejects a bad strength or colour with a specific message', () => {
    expect(usageError(() => parseBackgroundFlag('blur:1.5'))).toBe('--background blur strength must be a number in [0, 1], got "1.5"');
    expect(usageError(() => parseBackgroundFlag('blur:'))).toContain('blur strength must be a number');
    expect(usageError(() => parseBackgroundFlag('blur:abc'))).toContain('"abc"');
    expect(usageError(() => parseBackgroundFlag('#12345'))).toBe('--background colour must be #rrggbb, #rgb or a CSS colour name (red, navy, ...); got "#12345"');
  });
});

describe('parseSize', () => {
  it('reads WIDTHxHEIGHT within the engine limits', () => {
    expect(parseSize(undefined)).toBeNull();
    expect(parseSize('640x360')).toEqual({ width: 640, height: 360 });
    expect(usageError(() => parseSize('640'))).toContain('--size must be WIDTHxHEIGHT');
    expect(usageError(() => parseSize('1x1'))).toContain('between 2x2 and 3840x2160');
    expect(usageError(() => parseSize('4000x100'))).toContain('"4000x100"');
  });
});

describe('parseFlags', () => {
  const specs = [
    { name: 'input', alias: 'i', value: true },
    { name: 'help', alias: 'h', value: false },
  ];

  it('takes --name value, --name=value and -a value', () => {
    expect([...parseFlags(['--input', 'a.mp4'], specs, 'x')]).toEqual([['input', 'a.mp4']]);
    expect([...parseFlags(['--input=a=b.mp4'], specs, 'x')]).toEqual([['input', 'a=b.mp4']]);
    expect([...parseFlags(['-i', 'a.mp4', '-h'], specs, 'x')]).toEqual([
      ['input', 'a.mp4'],
      ['help', 'true'],
    ]);
  });

  it('names the mistake', () => {
    expect(usageError(() => parseFlags(['--inptu', 'a'], specs, 'render'))).toBe('unknown option --inptu for render; see backdrop render --help');
    expect(usageError(() => parseFlags(['--inptu=a'], specs, 'render'))).toContain('unknown option --inptu for');
    expect(usageError(() => parseFlags(['--input'], specs, 'render'))).toBe('--input needs a value');
    expect(usageError(() => parseFlags(['--input', '-h'], specs, 'render'))).toBe('--input needs a value');
    expect(usageError(() => parseFlags(['-i', 'a', '--input', 'b'], specs, 'render'))).toBe('--input is given twice');
    expect(usageError(() => parseFlags(['a.mp4'], specs, 'render'))).toBe('unexpected argument "a.mp4"; see backdrop render --help');
    expect(usageError(() => parseFlags(['--help=yes'], specs, 'render'))).toBe('--help takes no value');
  });
});

describe('parseCli', () => {
  it('fills render defaults', () => {
    expect(parseCli(['render', '-i', 'in.mp4', '-o', 'out.mp4'])).toEqual({
      command: 'render',
      options: {
        input: 'in.mp4',
        output: 'out.mp4',
        format: 'mp4',
        background: { kind: 'blur', strength: 0.5 },
        matting: 'light',
        quality: 'auto',
        people: 'all',
        faceModel: 'short',
        size: null,
        maxFrames: null,
        durationSec: null,
        threads: null,
        modelsDir: null,
        force: false,
      },
    });
  });

  it('reads every render option', () => {
    const cmd = parseCli([
      'render',
      '--input=in.y4m',
      '--output',
      'out.webm',
      '--background',
      'transparent',
      '--matting',
      'light',
      '--quality',
      'max',
      '--people',
      'main',
      '--face-model',
      'full',
      '--size',
      '640x360',
      '--frames',
      '10',
      '--duration=2.5',
      '--threads',
      '1',
      '--models',
      'm',
    ]);
    expect(cmd).toEqual({
      command: 'render',
      options: {
        input: 'in.y4m',
        output: 'out.webm',
        format: 'webm',
        background: { kind: 'transparent' },
        matting: 'light',
        quality: 'max',
        people: 'main',
        faceModel: 'full',
        size: { width: 640, height: 360 },
        maxFrames: 10,
        durationSec: 2.5,
        threads: 1,
        modelsDir: 'm',
        force: false,
      },
    });
  });

  it('gives help for the tool and for a command', () => {
    expect(parseCli(['--help'])).toEqual({ command: 'help', text: USAGE });
    expect(parseCli(['help'])).toEqual({ command: 'help', text: USAGE });
    expect(parseCli(['render', '-h'])).toEqual({ command: 'help', text: RENDER_USAGE });
    // Help wins over missing required flags: asking how is not a mistake.
    expect(parseCli(['render', '--input', 'x', '--help'])).toEqual({ command: 'help', text: RENDER_USAGE });
  });

  it('rejects bad render command lines, one line each', () => {
    expect(usageError(() => parseCli([]))).toBe('no command given; see backdrop --help');
    expect(usageError(() => parseCli(['paint']))).toMatch(/^unknown command "paint"; commands: render\b/);
    expect(usageError(() => parseCli(['render', '-o', 'o.mp4']))).toBe('--input is required; see backdrop render --help');
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4']))).toBe('--output is required; see backdrop render --help');
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.gif']))).toContain('--output o.gif: the extension must be one of');
    expect(usageError(() => parseCli(['render', '-i', 'a/../o.mp4', '-o', 'o.mp4']))).toBe('--output must differ from --input');
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '-b', 'transparent']))).toBe(
      '--background transparent needs an output that keeps alpha (.png or .webm), not .mp4',
    );
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--matting', 'heavy']))).toBe(
      '--matting must be one of off, light, full; got "heavy"',
    );
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--quality', 'ultra']))).toContain('--quality must be one of');
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--people', 'me']))).toBe('--people must be one of all, main; got "me"');
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--people', 'pick']))).toBe('--people must be one of all, main; got "pick"');
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--face-model', 'long']))).toBe('--face-model must be one of short, full; got "long"');
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--frames', '0']))).toBe(
      '--frames must be a positive whole number (1 or more), got "0"',
    );
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--threads', '1.5']))).toContain('--threads must be a positive whole number');
  });
});

describe('argument errors that say what is wrong (issue 13)', () => {
  it('says a negative --frames must be positive, not that it needs a value', () => {
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--frames', '-5']))).toBe('--frames must be a positive whole number (1 or more), got "-5"');
  });

  it('takes CSS colour names and short hex as colours, not file paths', () => {
    expect(parseBackgroundFlag('red')).toEqual({ kind: 'colour', rgb: [255, 0, 0] });
    expect(parseBackgroundFlag('RebeccaPurple')).toEqual({ kind: 'colour', rgb: [0x66, 0x33, 0x99] });
    expect(parseBackgroundFlag('#fff')).toEqual({ kind: 'colour', rgb: [255, 255, 255] });
    expect(parseBackgroundFlag('#0a8')).toEqual({ kind: 'colour', rgb: [0x00, 0xaa, 0x88] });
    expect(usageError(() => parseBackgroundFlag('#ggg'))).toMatch(/#rrggbb, #rgb or a CSS colour name/);
    expect(parseBackgroundFlag('constructor')).toEqual({ kind: 'image', path: 'constructor' });
  });

  it('has --force on render and matte, off by default', () => {
    const render = parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4']);
    expect(render.command === 'render' && render.options.force).toBe(false);
    const forced = parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--force']);
    expect(forced.command === 'render' && forced.options.force).toBe(true);
    const matte = parseCli(['matte', '--image', 'i.png', '-o', 'o.png', '-f']);
    expect(matte.command === 'matte' && matte.options.force).toBe(true);
  });

  it('takes a live quality for matte, max by default, and refuses auto (a photo has no frame rate to tune to)', () => {
    const plain = parseCli(['matte', '--image', 'i.png', '-o', 'o.png']);
    expect(plain.command === 'matte' && plain.options.quality).toBe('max');
    const balanced = parseCli(['matte', '--image', 'i.png', '-o', 'o.png', '--quality', 'balanced']);
    expect(balanced.command === 'matte' && balanced.options.quality).toBe('balanced');
    expect(usageError(() => parseCli(['matte', '--image', 'i.png', '-o', 'o.png', '--quality', 'auto']))).toMatch(/performance \| balanced \| quality \| max|performance, balanced, quality, max/);
  });

  it('limits render by --duration in seconds, refusing what is not a positive number', () => {
    const render = parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--duration', '0.5']);
    expect(render.command === 'render' && render.options.durationSec).toBe(0.5);
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--duration', '-3']))).toMatch(/^--duration must be a positive number/);
    expect(usageError(() => parseCli(['render', '-i', 'i.mp4', '-o', 'o.mp4', '--duration', 'soon']))).toMatch(/^--duration must be a positive number/);
  });

  it('mentions video backgrounds and --duration in the render help', () => {
    expect(RENDER_USAGE).toMatch(/<video path>/);
    expect(RENDER_USAGE).toMatch(/--duration <s>/);
  });

  it('has a cameras command, with its help', () => {
    expect(parseCli(['cameras'])).toEqual({ command: 'cameras' });
    expect(parseCli(['cameras', '--help'])).toEqual({ command: 'help', text: CAMERAS_USAGE });
    expect(usageError(() => parseCli(['cameras', '/dev/video0']))).toMatch(/^unexpected argument "\/dev\/video0"/);
    expect(USAGE).toMatch(/^  cameras /m);
  });

  it("refuses a command named like an object's own method (found by fuzzing)", () => {
    expect(usageError(() => parseCli(['valueOf']))).toMatch(/^unknown command "valueOf"; commands: /);
    expect(usageError(() => parseCli(['constructor']))).toMatch(/^unknown command "constructor"; commands: /);
  });

  it('takes --verbose anywhere, for any command, apart from its options', () => {
    expect(splitVerbose(['render', '--verbose', '-i', 'a.mp4'])).toEqual({ verbose: true, rest: ['render', '-i', 'a.mp4'] });
    expect(splitVerbose(['--verbose', 'cameras'])).toEqual({ verbose: true, rest: ['cameras'] });
    expect(splitVerbose(['cameras'])).toEqual({ verbose: false, rest: ['cameras'] });
  });

  it('prints the version for backdrop --version', () => {
    expect(parseCli(['--version'])).toEqual({ command: 'help', text: expect.stringMatching(/^backdrop \d+\.\d+\.\d+/) });
  });
});
