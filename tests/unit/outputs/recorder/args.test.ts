import { describe, expect, it } from 'vitest';
import { finaliseArgs, recordArgs } from '../../../../src/outputs/recorder/args';
import { encoderProfile } from '../../../../src/outputs/recorder/encoders';

const req = {
  partial: '/v/a: b.recording.mp4',
  width: 1280,
  height: 720,
  rate: { num: 30, den: 1 },
  audio: { kind: 'pulse' as const, device: 'default' },
  audioDelayMs: 0,
  encoder: encoderProfile('libx264', { fps: 30, quality: 21 }),
};

describe('recordArgs', () => {
  it('stamps frames and sound on one clock and writes a fragment per frame, flushed at once', () => {
    const args = recordArgs(req);
    const joined = args.join(' ');
    expect(joined).toContain('-use_wallclock_as_timestamps 1 -f rawvideo -pix_fmt rgba -video_size 1280x720 -framerate 30 -i pipe:0');
    expect(joined).toContain('-map 0:v:0 -map 1:a:0');
    expect(joined).toContain('-fps_mode:v cfr -r 30');
    expect(joined).toContain('-af aresample=async=1:first_pts=0 -c:a aac -b:a 160k -ar 48000 -shortest');
    expect(args.slice(-8)).toEqual([
      '-f',
      'mp4',
      '-movflags',
      '+frag_keyframe+empty_moov+default_base_moof+frag_every_frame',
      '-flush_packets',
      '1',
      '-y',
      'file:/v/a: b.recording.mp4',
    ]);
  });

  it('records picture only, with no -shortest, when there is no microphone', () => {
    const args = recordArgs({ ...req, audio: { kind: 'none' } });
    expect(args).not.toContain('-shortest');
    expect(args).not.toContain('1:a:0');
    expect(args).not.toContain('-c:a');
  });

  it('refuses odd frame sizes, which 4:2:0 H.264 cannot hold', () => {
    expect(() => recordArgs({ ...req, width: 641 })).toThrow(/even frame sizes, got 641x720/);
  });
});

describe('finaliseArgs', () => {
  it('stream-copies every stream into a faststart MP4, trimmed to the picture when asked', () => {
    expect(finaliseArgs('/v/x.recording.mp4', '/v/x.mp4.finalising', 12.3456)).toEqual([
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      'file:/v/x.recording.mp4',
      '-map',
      '0',
      '-c',
      'copy',
      '-t',
      '12.346',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      '-y',
      'file:/v/x.mp4.finalising',
    ]);
    expect(finaliseArgs('a', 'b')).not.toContain('-t');
  });
});
