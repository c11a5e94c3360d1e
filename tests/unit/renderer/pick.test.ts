import { describe, expect, it } from 'vitest';
import { previewPointToFrame } from '../../../src/renderer/preview/pick';
import { visibleLayer } from '../../../src/renderer/preview/layers';

const FRAME = { width: 640, height: 360 };

describe('a click on the preview, in frame coordinates', () => {
  it('maps a box of the frame’s own aspect straight through, scaled', () => {
    expect(previewPointToFrame({ x: 320, y: 90 }, { width: 1280, height: 720 }, FRAME, false)).toEqual({ x: 0.25, y: 0.125 });
    expect(previewPointToFrame({ x: 0, y: 0 }, { width: 1280, height: 720 }, FRAME, false)).toEqual({ x: 0, y: 0 });
  });

  it('skips the bars above and below in a tall box', () => {
    // 640x640 box: the 640x360 picture is shown 640x360, 140 px of bar above and below.
    const box = { width: 640, height: 640 };
    expect(previewPointToFrame({ x: 160, y: 140 + 270 }, box, FRAME, false)).toEqual({ x: 0.25, y: 0.75 });
    expect(previewPointToFrame({ x: 160, y: 100 }, box, FRAME, false)).toBeNull();
    expect(previewPointToFrame({ x: 160, y: 600 }, box, FRAME, false)).toBeNull();
  });

  it('skips the bars left and right in a wide box', () => {
    // 1000x360 box: the picture is shown 640x360 with 180 px of bar on each side.
    const box = { width: 1000, height: 360 };
    expect(previewPointToFrame({ x: 180 + 480, y: 36 }, box, FRAME, false)).toEqual({ x: 0.75, y: 0.1 });
    expect(previewPointToFrame({ x: 100, y: 36 }, box, FRAME, false)).toBeNull();
    expect(previewPointToFrame({ x: 900, y: 36 }, box, FRAME, false)).toBeNull();
  });

  it('undoes the mirror: a click on the left of a mirrored preview is on the right of the frame', () => {
    const box = { width: 1000, height: 360 };
    expect(previewPointToFrame({ x: 180 + 160, y: 180 }, box, FRAME, true)).toEqual({ x: 0.75, y: 0.5 });
  });

  it('says nothing before a frame has come, or for a box with no size', () => {
    expect(previewPointToFrame({ x: 1, y: 1 }, { width: 100, height: 100 }, { width: 0, height: 0 }, false)).toBeNull();
    expect(previewPointToFrame({ x: 0, y: 0 }, { width: 0, height: 0 }, FRAME, false)).toBeNull();
  });
});

describe('visibleLayer', () => {
  it('shows the camera until the first composite, and whenever the camera is asked for', () => {
    expect(visibleLayer('after', false)).toBe('camera');
    expect(visibleLayer('after', true)).toBe('output');
    expect(visibleLayer('before', true)).toBe('camera');
    expect(visibleLayer('before', false)).toBe('camera');
  });
});
