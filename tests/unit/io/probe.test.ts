import { describe, expect, it } from 'vitest';
import { parseFfmpegBanner, parseFfprobeJson, stripInputName } from '../../../src/io/probe';

// Outputs captured from ffprobe / ffmpeg 5.1 on real files.
const MP4_JSON = {
  streams: [
    {
      codec_name: 'h264',
      width: 1280,
      height: 720,
      pix_fmt: 'yuv420p',
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
      duration: '0.633333',
      nb_frames: '19',
      tags: {},
    },
  ],
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '0.634000' },
};

describe('parseFfprobeJson', () => {
  it('reads an mp4', () => {
    expect(parseFfprobeJson(MP4_JSON)).toEqual({
      width: 1280,
      height: 720,
      rate: { num: 30, den: 1 },
      frames: 19,
      durationSec: 0.633333,
      hasAlpha: false,
      isImage: false,
      codec: 'h264',
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      alphaDecoder: null,
    });
  });

  it('reads a PNG as a one-frame still', () => {
    const info = parseFfprobeJson({
      streams: [{ codec_name: 'png', width: 512, height: 512, pix_fmt: 'rgb24', r_frame_rate: '25/1', avg_frame_rate: '25/1' }],
      format: { format_name: 'png_pipe' },
    });
    expect(info).toMatchObject({ width: 512, height: 512, isImage: true, frames: 1, durationSec: null, hasAlpha: false });
    expect(parseFfprobeJson({ streams: [{ width: 4, height: 2, pix_fmt: 'rgba' }], format: { format_name: 'image2' } })).toMatchObject({
      isImage: true,
      hasAlpha: true,
    });
  });

  it('swaps width and height for a quarter-turn rotation', () => {
    const stream = { ...MP4_JSON.streams[0], width: 64, height: 36, side_data_list: [{ rotation: -90 }] };
    expect(parseFfprobeJson({ ...MP4_JSON, streams: [stream] })).toMatchObject({ width: 36, height: 64 });
    const halfTurn = { ...stream, side_data_list: [{ rotation: 180 }] };
    expect(parseFfprobeJson({ ...MP4_JSON, streams: [halfTurn] })).toMatchObject({ width: 64, height: 36 });
  });

  it('sees VP9 alpha from the alpha_mode tag and picks the decoder that keeps it', () => {
    const info = parseFfprobeJson({
      streams: [{ codec_name: 'vp9', width: 63, height: 33, pix_fmt: 'yuv420p', r_frame_rate: '30/1', avg_frame_rate: '30/1', tags: { alpha_mode: '1' } }],
      format: { format_name: 'matroska,webm', duration: '0.333000' },
    });
    expect(info).toMatchObject({ hasAlpha: true, alphaDecoder: 'libvpx-vp9', frames: 10, durationSec: 0.333 });
  });

  it('ignores a timebase posing as a frame rate and estimates frames from the duration', () => {
    const info = parseFfprobeJson({
      streams: [{ codec_name: 'vp8', width: 640, height: 480, r_frame_rate: '1000/1', avg_frame_rate: '0/0' }],
      format: { format_name: 'matroska,webm', duration: '2.0' },
    });
    expect(info.rate).toEqual({ num: 30, den: 1 });
    expect(info.frames).toBe(60);
    expect(parseFfprobeJson({ ...MP4_JSON, streams: [{ ...MP4_JSON.streams[0], avg_frame_rate: '30000/1001' }] }).rate).toEqual({
      num: 30000,
      den: 1001,
    });
  });

  it('says what is missing', () => {
    expect(() => parseFfprobeJson({})).toThrow('it has no video stream');
    expect(() => parseFfprobeJson({ streams: [] })).toThrow('it has no video stream');
    expect(() => parseFfprobeJson({ streams: [{ codec_name: 'h264' }] })).toThrow('its video stream could not be decoded (no frame size)');
  });
});

const MP4_BANNER = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:rot.mp4':
  Metadata:
    major_brand     : isom
    encoder         : Lavf59.27.100
  Duration: 00:00:10.00, start: 0.000000, bitrate: 1851 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 1280x720 [SAR 1:1 DAR 16:9], 1848 kb/s, 29.97 fps, 29.97 tbr, 30k tbn (default)
    Metadata:
      handler_name    : VideoHandler
At least one output file must be specified
`;

describe('parseFfmpegBanner', () => {
  it('reads an mp4 description, with the NTSC rate made exact', () => {
    expect(parseFfmpegBanner(MP4_BANNER)).toEqual({
      width: 1280,
      height: 720,
      rate: { num: 30000, den: 1001 },
      frames: 300,
      durationSec: 10,
      hasAlpha: false,
      isImage: false,
      codec: 'h264',
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      alphaDecoder: null,
    });
  });

  it('reads a PNG still', () => {
    const text = `Input #0, png_pipe, from 'astronaut.png':
  Duration: N/A, bitrate: N/A
  Stream #0:0: Video: png, rgb24(pc), 512x512 [SAR 11811:11811 DAR 1:1], 25 fps, 25 tbr, 25 tbn
At least one output file must be specified`;
    expect(parseFfmpegBanner(text)).toMatchObject({ width: 512, height: 512, isImage: true, frames: 1, codec: 'png', hasAlpha: false });
  });

  it('reads VP9 alpha and a rotation', () => {
    const webm = `Input #0, matroska,webm, from 'file:o.webm':
  Duration: 00:00:00.33, start: 0.000000, bitrate: 26 kb/s
  Stream #0:0: Video: vp9 (Profile 0), yuv420p(tv, bt709, progressive), 63x33, SAR 1:1 DAR 21:11, 30 fps, 30 tbr, 1k tbn
    Metadata:
      alpha_mode      : 1
      ENCODER         : Lavc59.37.100 libvpx-vp9`;
    expect(parseFfmpegBanner(webm)).toMatchObject({ width: 63, height: 33, hasAlpha: true, alphaDecoder: 'libvpx-vp9', frames: 10 });
    const rotated = MP4_BANNER.replace('At least', '    Side data:\n      displaymatrix: rotation of 90.00 degrees\nAt least');
    expect(parseFfmpegBanner(rotated)).toMatchObject({ width: 720, height: 1280 });
  });

  it('fails when there is no video stream', () => {
    expect(() => parseFfmpegBanner('file:x.mp4: Invalid data found when processing input')).toThrow('it has no video stream');
  });
});

describe('stripInputName', () => {
  it("removes ffmpeg's own naming of the input", () => {
    expect(stripInputName('file:a/b.mp4: Invalid data found when processing input', 'a/b.mp4')).toBe('Invalid data found when processing input');
    expect(stripInputName('a/b.mp4: No such file or directory', 'a/b.mp4')).toBe('No such file or directory');
    expect(stripInputName('[mov @ 0x1] moov atom not found', 'a/b.mp4')).toBe('[mov @ 0x1] moov atom not found');
  });
});
