import { describe, expect, it } from 'vitest';
import { encoderProfile } from '../../../../src/outputs/recorder/encoders';
import { SILENCE, streamArgs } from '../../../../src/outputs/streamer/args';
import { parseStreamTarget } from '../../../../src/outputs/streamer/url';

const encoder = encoderProfile('libx264', { fps: 30, quality: 21, bitrateKbps: 2500 });
const base = { width: 1280, height: 720, rate: { num: 30, den: 1 }, audioDelayMs: 0, encoder };

describe('streamArgs', () => {
  it('sends FLV over RTMP at a constant bitrate with a two-second keyframe interval', () => {
    const args = streamArgs({ ...base, target: parseStreamTarget('rtmp://127.0.0.1:1935/live', 'key'), audio: { kind: 'pulse', device: 'default' } });
    expect(args.slice(-7)).toEqual(['-f', 'flv', '-flvflags', 'no_duration_filesize', '-rw_timeout', '10000000', 'rtmp://127.0.0.1:1935/live/key']);
    const joined = args.join(' ');
    expect(joined).toContain('-c:v libx264 -preset ultrafast -tune zerolatency -threads 1 -b:v 2500k -maxrate 2500k -bufsize 5000k -pix_fmt yuv420p -g 60');
    expect(joined).toContain('-thread_queue_size 1024 -f pulse -i default');
    expect(joined).toContain('-c:a aac -b:a 128k -ar 48000');
  });

  it('sends MPEG-TS over SRT', () => {
    const args = streamArgs({ ...base, target: parseStreamTarget('srt://127.0.0.1:9000', 'k'), audio: { kind: 'alsa', device: 'hw:1' } });
    expect(args.slice(-5)).toEqual(['-f', 'mpegts', '-rw_timeout', '10000000', 'srt://127.0.0.1:9000?streamid=k']);
  });

  it('sends silence when there is no microphone, since services expect a sound track', () => {
    const args = streamArgs({ ...base, target: parseStreamTarget('rtmp://h/app/k'), audio: { kind: 'none' } });
    const i = args.indexOf(SILENCE.kind === 'lavfi' ? SILENCE.graph : '');
    expect(args.slice(i - 3, i + 1)).toEqual(['-f', 'lavfi', '-i', 'anullsrc=channel_layout=stereo:sample_rate=48000']);
    expect(args).toContain('-shortest');
  });
});
