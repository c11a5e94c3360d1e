import { describe, expect, it } from 'vitest';
import { recordArgs } from '../../../../src/outputs/recorder/args';
import { encoderProfile } from '../../../../src/outputs/recorder/encoders';
import { streamArgs } from '../../../../src/outputs/streamer/args';
import { parseStreamTarget } from '../../../../src/outputs/streamer/url';
import { relayArgs, sharedEncodeArgs, teeEscape } from '../../../../src/outputs/tee/args';

const encoder = encoderProfile('libx264', { fps: 30, quality: 21, bitrateKbps: 3000 });
const req = {
  partial: '/v/a: b.recording.mp4',
  width: 1280,
  height: 720,
  rate: { num: 30, den: 1 },
  audio: { kind: 'pulse' as const, device: 'default' },
  audioDelayMs: 0,
  encoder,
};
const target = parseStreamTarget('rtmp://127.0.0.1:1935/live', 'secret-key');

describe('sharedEncodeArgs', () => {
  it('encodes once with the stream settings and writes a crash-safe fragmented MP4 and FLV on descriptor 3 through the tee', () => {
    const args = sharedEncodeArgs(req);
    expect(args.slice(-5)).toEqual([
      '-flags',
      '+global_header',
      '-f',
      'tee',
      '[f=mp4:movflags=+frag_keyframe+empty_moov+default_base_moof+frag_every_frame:flush_packets=1:onfail=ignore]file:/v/a:\\ b.recording.mp4' +
        '|[f=flv:flvflags=no_duration_filesize:flush_packets=1:onfail=ignore]pipe:3',
    ]);
    const joined = args.join(' ');
    expect(joined).toContain('-c:v libx264 -preset ultrafast -tune zerolatency -threads 1 -b:v 3000k -maxrate 3000k -bufsize 6000k');
    expect(joined).toContain('-c:a aac -b:a 128k -ar 48000');
    // One encoder of each kind: the picture and the sound are encoded once for both outputs.
    expect(args.filter((a) => a === '-c:v')).toHaveLength(1);
    expect(args.filter((a) => a === '-c:a')).toHaveLength(1);
  });

  it('encodes as the streamer does on its own, and muxes the MP4 as the recorder does', () => {
    const shared = sharedEncodeArgs(req);
    const alone = streamArgs({ ...req, target });
    const common = alone.slice(0, alone.indexOf('-f', alone.indexOf('-shortest')));
    expect(shared.slice(0, common.length)).toEqual(common);
    // The recording's own muxer settings are the ones the tee passes to its MP4 output.
    const own = recordArgs({ ...req, encoder: encoderProfile('libx264', { fps: 30, quality: 21 }) });
    expect(shared.at(-1)).toContain(`movflags=${own[own.indexOf('-movflags') + 1]}:flush_packets=${own[own.indexOf('-flush_packets') + 1]}`);
  });

  it('sends the stream silence when there is no microphone, and keeps the recording silent', () => {
    const args = sharedEncodeArgs({ ...req, audio: { kind: 'none' } });
    expect(args.join(' ')).toContain('-f lavfi -i anullsrc=channel_layout=stereo:sample_rate=48000');
    expect(args.at(-1)).toMatch(/^\[f=mp4:movflags=[^\]]*:select=v:onfail=ignore\]file:/);
    expect(args.at(-1)).toMatch(/\|\[f=flv:[^\]]*\]pipe:3$/);
  });

  it('keeps the stream key out of the encoder: only the relay knows the URL', () => {
    expect(sharedEncodeArgs(req).join(' ')).not.toContain('secret-key');
    expect(relayArgs(target)).toEqual([
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-stats',
      '-f',
      'flv',
      '-analyzeduration',
      '500000',
      '-i',
      'pipe:0',
      '-map',
      '0',
      '-c',
      'copy',
      '-f',
      'flv',
      '-flvflags',
      'no_duration_filesize',
      '-rw_timeout',
      '10000000',
      'rtmp://127.0.0.1:1935/live/secret-key',
    ]);
    expect(relayArgs(parseStreamTarget('srt://127.0.0.1:9000', 'k')).slice(-4)).toEqual(['mpegts', '-rw_timeout', '10000000', 'srt://127.0.0.1:9000?streamid=k']);
  });

  it('refuses odd frame sizes, as the recorder does', () => {
    expect(() => sharedEncodeArgs({ ...req, height: 719 })).toThrow(/even frame sizes/);
  });
});

describe('teeEscape', () => {
  it("escapes what the tee's list parser would take as its own: separator, quotes, backslashes and spaces", () => {
    expect(teeEscape("file:/a|b/it's \\x\t.mp4")).toBe("file:/a\\|b/it\\'s\\ \\\\x\\\t.mp4");
    expect(teeEscape('file:/v/x: [y].mp4')).toBe('file:/v/x:\\ [y].mp4');
  });
});
