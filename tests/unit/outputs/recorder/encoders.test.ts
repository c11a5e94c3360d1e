import { describe, expect, it } from 'vitest';
import { encoderProfile, HARDWARE_ORDER, probeH264Encoder, trialEncodeArgs, type H264Encoder } from '../../../../src/outputs/recorder/encoders';

const settings = { fps: 30, quality: 21, vaapiDevice: '/dev/dri/renderD129' };

describe('encoderProfile', () => {
  it('libx264 records at constant quality with no encoder delay and a keyframe every 2 s, on one thread at its fastest preset', () => {
    expect(encoderProfile('libx264', settings).output).toEqual(['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-threads', '1', '-crf', '21', '-pix_fmt', 'yuv420p', '-g', '60']);
  });

  it('VA-API names its device before the inputs and uploads frames', () => {
    const p = encoderProfile('h264_vaapi', settings);
    expect(p.global).toEqual(['-vaapi_device', '/dev/dri/renderD129']);
    expect(p.filters).toEqual(['format=nv12', 'hwupload']);
    expect(p.output).toEqual(['-c:v', 'h264_vaapi', '-qp', '21', '-bf', '0', '-g', '60']);
  });

  it('switches every encoder to constant bitrate for streaming', () => {
    for (const e of [...HARDWARE_ORDER, 'libx264'] as H264Encoder[]) {
      const out = encoderProfile(e, { ...settings, bitrateKbps: 3000 }).output.join(' ');
      expect(out).toContain('-b:v 3000k -maxrate 3000k -bufsize 6000k');
      expect(out).not.toMatch(/-crf|-cq|-qp|-global_quality|-q:v/);
    }
  });

  it('maps the quality number onto the 0-100 scales of VideoToolbox and Media Foundation', () => {
    expect(encoderProfile('h264_videotoolbox', settings).output).toContain('58');
    expect(encoderProfile('h264_mf', { ...settings, quality: 18 }).output.join(' ')).toContain('-quality 64');
  });
});

describe('probeH264Encoder', () => {
  it('tries hardware encoders in order with their full profile and takes the first that works', async () => {
    const tried: string[] = [];
    const result = await probeH264Encoder(async (args) => {
      const encoder = args[args.indexOf('-c:v') + 1];
      tried.push(encoder);
      return encoder === 'h264_qsv' ? null : `${encoder}: no device`;
    }, settings);
    expect(tried).toEqual(['h264_nvenc', 'h264_vaapi', 'h264_qsv']);
    expect(result).toEqual({
      encoder: 'h264_qsv',
      refused: [
        { encoder: 'h264_nvenc', reason: 'h264_nvenc: no device' },
        { encoder: 'h264_vaapi', reason: 'h264_vaapi: no device' },
      ],
    });
  });

  it('falls back to libx264 when every trial fails', async () => {
    const result = await probeH264Encoder(async () => 'nope', settings);
    expect(result.encoder).toBe('libx264');
    expect(result.refused.map((r) => r.encoder)).toEqual([...HARDWARE_ORDER]);
  });

  it('trials five small frames to nowhere, hardware device first', () => {
    const args = trialEncodeArgs(encoderProfile('h264_vaapi', settings));
    expect(args.indexOf('-vaapi_device')).toBeLessThan(args.indexOf('-i'));
    expect(args.join(' ')).toContain('-f lavfi -i color=c=black:s=256x144:r=30 -frames:v 5 -vf format=nv12,hwupload');
    expect(args.slice(-3)).toEqual(['-f', 'null', '-']);
  });
});
