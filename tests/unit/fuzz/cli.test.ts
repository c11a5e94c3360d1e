import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parseCli, splitVerbose } from '../../../src/cli/args';
import { UsageError } from '../../../src/cli/errors';
import { parsesOrRefuses } from './support';

/** Every flag any command knows, their short forms, and a few that none does. */
const FLAGS = [
  '--input', '-i', '--output', '-o', '--background', '-b', '--matting', '--quality', '--people', '--size', '--frames',
  '--duration', '--threads', '--models', '--force', '-f', '--help', '-h', '--camera', '-c', '--virtual-camera',
  '--record', '--stream', '--microphone', '--fps', '--json', '--image', '--trimap', '--face-model', '--verbose', '--nope', '-x', '-', '--', '---',
];
const VALUES = [
  'in.mp4', 'out.mp4', 'out.webm', 'out.y4m', 'out.png', 'photo.jpg', 'a.gif', 'take.mp4', '/dev/video0', '/dev/video10', 'clip.y4m',
  '0', '1', '-5', '1.5', '1e3', '99999999999999999999', 'NaN', '', ' ', '640x360', '0x0', '3841x2160',
  'blur', 'blur:0.3', 'blur:', 'blur:-1', 'red', '#fff', '#12345', 'transparent', 'none', 'constructor', '__proto__',
  'light', 'full', 'short', 'off', 'auto', 'max', 'main', 'pick', 'all',
  'rtmp://host/app/key', 'rtmps://host/app', 'srt://host:9000', 'http://x', 'rtmp://', 'pulse:mic', 'alsa:', 'lavfi:sine',
];

const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FLAGS) },
  { weight: 4, arbitrary: fc.constantFrom(...VALUES) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES)).map(([f, v]) => `${f}=${v}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const argv = fc.tuple(
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom('render', 'run', 'matte', 'cameras') }, { weight: 1, arbitrary: fc.constantFrom('help', '--help', '--version', '-V', 'paint') }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
  fc.array(token, { maxLength: 14 }),
).map(([command, rest]) => [command, ...rest]);

/** Each command's required flags with a plausible value, then options of its own with values of any kind. */
const COMMANDS: Record<string, { required: string[]; options: string[] }> = {
  render: { required: ['-i', 'in.mp4', '-o', 'out.mp4'], options: ['--background', '--matting', '--quality', '--people', '--face-model', '--size', '--frames', '--duration', '--threads', '--models', '--force', '--output'] },
  run: { required: ['--camera', 'clip.y4m'], options: ['--background', '--virtual-camera', '--record', '--stream', '--microphone', '--duration', '--size', '--fps', '--matting', '--quality', '--people', '--face-model', '--threads', '--json', '--force'] },
  matte: { required: ['--image', 'photo.jpg', '-o', 'out.png'], options: ['--trimap', '--matting', '--quality', '--threads', '--models', '--force'] },
  cameras: { required: [], options: ['--help', '--verbose'] },
};

const plausible = fc.constantFrom(...Object.keys(COMMANDS)).chain((command) => {
  const { required, options } = COMMANDS[command];
  const option = fc.tuple(fc.constantFrom(...options), fc.constantFrom(...VALUES), fc.boolean()).map(([flag, value, joined]) =>
    ['--force', '--json', '--help', '--verbose'].includes(flag) ? [flag] : joined ? [`${flag}=${value}`] : [flag, value],
  );
  return fc.tuple(fc.array(option, { maxLength: 5 }), fc.option(fc.tuple(fc.nat(20), token), { freq: 4 })).map(([chosen, stray]) => {
    const args = [command, ...required, ...chosen.flat()];
    if (stray) args.splice(1 + (stray[0] % args.length), 0, stray[1]);
    return args;
  });
});

describe('fuzzing the command line parser', () => {
  it('parses a command or throws UsageError, for any arguments', () => {
    // As main does: --verbose is taken out before the command parses.
    parsesOrRefuses(fc.oneof(argv, plausible), (args) => parseCli(splitVerbose(args).rest), UsageError);
  });
});
