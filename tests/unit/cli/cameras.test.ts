import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkCameraDevice,
  formatCameraList,
  listCameras,
  parseFfmpegFormats,
  parseV4l2CtlFormats,
  videoNodes,
} from '../../../src/cli/cameras';
import { CommandError } from '../../../src/cli/errors';

const V4L2_CTL = `ioctl: VIDIOC_ENUM_FMT
\tType: Video Capture

\t[0]: 'MJPG' (Motion-JPEG, compressed)
\t\tSize: Discrete 1280x720
\t\t\tInterval: Discrete 0.033s (30.000 fps)
\t\t\tInterval: Discrete 0.067s (15.000 fps)
\t\tSize: Discrete 640x480
\t\t\tInterval: Discrete 0.033s (30.000 fps)
\t[1]: 'YUYV' (YUYV 4:2:2)
\t\tSize: Discrete 640x480
\t\t\tInterval: Discrete 0.033s (30.000 fps)
\t\tSize: Discrete 1280x720
\t\t\tInterval: Discrete 0.100s (10.000 fps)
`;

const FFMPEG = `[video4linux2,v4l2 @ 0x55d0c1f0] Compressed:       mjpeg :          Motion-JPEG : 1280x720 640x480
[video4linux2,v4l2 @ 0x55d0c1f0] Raw       :     yuyv422 :           YUYV 4:2:2 : 640x480 1280x720
/dev/video0: Immediate exit requested
`;

describe('parsing what the tools say about a device', () => {
  it('reads v4l2-ctl formats with each size at its fastest rate', () => {
    expect(parseV4l2CtlFormats(V4L2_CTL)).toEqual(['MJPG 1280x720@30 640x480@30', 'YUYV 640x480@30 1280x720@10']);
  });

  it('reads ffmpeg -list_formats lines', () => {
    expect(parseFfmpegFormats(FFMPEG)).toEqual(['mjpeg 1280x720 640x480', 'yuyv422 640x480 1280x720']);
  });

  it('finds no formats on a node that has none (a metadata node)', () => {
    expect(parseV4l2CtlFormats('ioctl: VIDIOC_ENUM_FMT\n\tType: Video Capture\n\n')).toEqual([]);
    expect(parseFfmpegFormats('/dev/video1: Inappropriate ioctl for device\n')).toEqual([]);
  });
});

describe('videoNodes', () => {
  it('keeps video nodes in number order', () => {
    expect(videoNodes(['video10', 'null', 'video2', 'video0', 'videox', 'v4l'])).toEqual(['video0', 'video2', 'video10']);
  });
});

describe('listCameras on a fake /dev and sysfs', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'backdrop-cameras-'));
    await mkdir(join(root, 'dev'));
    await mkdir(join(root, 'sys', 'video0'), { recursive: true });
    for (const node of ['video0', 'video1', 'tty0']) await writeFile(join(root, 'dev', node), '');
    await writeFile(join(root, 'sys', 'video0', 'name'), 'Integrated Camera: Integrated C\n');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('names each node, with its formats', async () => {
    const formats: Record<string, string[]> = { [join(root, 'dev', 'video0')]: ['MJPG 1280x720@30'], [join(root, 'dev', 'video1')]: [] };
    const devices = await listCameras({ devDir: join(root, 'dev'), sysfsDir: join(root, 'sys'), formatsOf: async (p) => formats[p] ?? null });
    expect(devices).toEqual([
      { path: join(root, 'dev', 'video0'), name: 'Integrated Camera: Integrated C', formats: ['MJPG 1280x720@30'] },
      { path: join(root, 'dev', 'video1'), name: null, formats: [] },
    ]);
  });

  it('finds none in an empty or missing folder', async () => {
    await mkdir(join(root, 'empty'), { recursive: true });
    expect(await listCameras({ devDir: join(root, 'empty'), sysfsDir: join(root, 'sys'), formatsOf: async () => [] })).toEqual([]);
    expect(await listCameras({ devDir: join(root, 'nowhere'), sysfsDir: join(root, 'nowhere'), formatsOf: async () => [] })).toEqual([]);
  });
});

describe('formatCameraList', () => {
  it('says clearly when there are none, and what to do', () => {
    const lines = formatCameraList([], '/dev');
    expect(lines[0]).toBe('No cameras found (no /dev/video* devices).');
    expect(lines[1]).toMatch(/--camera clip\.mp4/);
  });

  it('lists formats under each device and names one to use', () => {
    expect(
      formatCameraList(
        [
          { path: '/dev/video0', name: 'Cam', formats: ['MJPG 1280x720@30', 'YUYV 640x480@30'] },
          { path: '/dev/video1', name: 'Cam', formats: [] },
          { path: '/dev/video2', name: null, formats: null },
        ],
        '/dev',
      ),
    ).toEqual([
      '/dev/video0  Cam',
      '  MJPG 1280x720@30',
      '  YUYV 640x480@30',
      '/dev/video1  Cam  (no video formats: a metadata or output node, not a camera to open)',
      '/dev/video2  (formats unknown: install v4l2-ctl (v4l-utils) or ffmpeg to list them)',
      '',
      'Use one with: backdrop run --camera /dev/video0',
    ]);
  });
});

describe('checkCameraDevice', () => {
  async function failure(path: string): Promise<string> {
    try {
      await checkCameraDevice(path);
    } catch (error) {
      expect(error).toBeInstanceOf(CommandError);
      return (error as Error).message;
    }
    throw new Error('expected a CommandError');
  }

  it('names a missing device and how to list the cameras', async () => {
    expect(await failure('/dev/video-backdrop-missing')).toBe('--camera /dev/video-backdrop-missing: no such device; list the cameras with: backdrop cameras');
  });

  it('refuses a file that is not a device node', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backdrop-camera-'));
    try {
      await writeFile(join(dir, 'video0'), '');
      expect(await failure(join(dir, 'video0'))).toMatch(/is not a device node; list the cameras with: backdrop cameras$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lets a readable character device through', async () => {
    await expect(checkCameraDevice('/dev/null')).resolves.toBeUndefined();
  });
});
