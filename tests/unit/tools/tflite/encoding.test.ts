import { describe, expect, it } from 'vitest';
import { decodeFloat16, float16ToFloat32 } from '../../../../tools/tflite/float16';
import { permute, transposedWindowPadding, windowPadding } from '../../../../tools/tflite/layout';
import { encodeVarint, ProtoMessage } from '../../../../tools/tflite/protobuf';

describe('float16', () => {
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0001, 2 ** -24],
    [0x0400, 2 ** -14],
    [0x8000, -0],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])('bit pattern %i decodes exactly', (bits, value) => {
    expect(float16ToFloat32(bits)).toBe(value);
  });

  it('NaN stays NaN', () => {
    expect(float16ToFloat32(0x7e00)).toBeNaN();
  });

  it('decodes little-endian byte runs', () => {
    expect(Array.from(decodeFloat16(Uint8Array.of(0x00, 0x3c, 0x00, 0xc0)))).toEqual([1, -2]);
    expect(() => decodeFloat16(Uint8Array.of(1, 2, 3))).toThrow(/odd length/);
  });
});

describe('permute', () => {
  it('transposes a 2x3 matrix', () => {
    const r = permute(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0]);
    expect(r.shape).toEqual([3, 2]);
    expect(Array.from(r.data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('turns NHWC into NCHW', () => {
    // 1x2x2x2: pixel (y, x) holds channels [10 * p, 10 * p + 1] for p = 0..3.
    const r = permute(Float32Array.of(0, 1, 10, 11, 20, 21, 30, 31), [1, 2, 2, 2], [0, 3, 1, 2]);
    expect(r.shape).toEqual([1, 2, 2, 2]);
    expect(Array.from(r.data)).toEqual([0, 10, 20, 30, 1, 11, 21, 31]);
  });

  it('refuses a permutation that does not fit', () => {
    expect(() => permute(Float32Array.of(1, 2), [2], [0, 1])).toThrow(/does not fit/);
    expect(() => permute(Float32Array.of(1, 2), [3], [0])).toThrow(/needs 3 values/);
  });
});

describe('padding rules', () => {
  it.each([
    // in, kernel, stride, dilation, padding -> out, before, after
    [256, 3, 2, 1, 'same', 128, 0, 1],
    [255, 3, 2, 1, 'same', 128, 1, 1],
    [64, 5, 1, 1, 'same', 64, 2, 2],
    [64, 3, 1, 2, 'same', 64, 2, 2],
    [3, 2, 2, 1, 'same', 2, 0, 1],
    [64, 64, 64, 1, 'valid', 1, 0, 0],
    [7, 3, 2, 1, 'valid', 3, 0, 0],
  ] as const)('window on %i, k=%i, s=%i, d=%i, %s', (inSize, k, s, d, p, out, before, after) => {
    expect(windowPadding(inSize, k, s, d, p)).toEqual({ out, before, after });
  });

  it.each([
    [128, 2, 2, 'same', 256, 0, 0],
    [2, 3, 2, 'same', 4, 0, 1],
    [2, 4, 2, 'same', 4, 1, 1],
    [3, 4, 2, 'same', 5, 1, 2],
    [2, 3, 2, 'valid', 5, 0, 0],
  ] as const)('transposed window on %i, k=%i, s=%i, %s', (inSize, k, s, p, out, before, after) => {
    expect(transposedWindowPadding(inSize, k, s, p)).toEqual({ out, before, after });
  });
});

describe('protobuf', () => {
  it('encodes varints as the protobuf documentation does', () => {
    expect(encodeVarint(1)).toEqual([1]);
    expect(encodeVarint(150)).toEqual([0x96, 0x01]);
    expect(encodeVarint(300)).toEqual([0xac, 0x02]);
    expect(encodeVarint(-1)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('encodes fields with their keys', () => {
    expect(Array.from(new ProtoMessage().varint(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    expect(Array.from(new ProtoMessage().string(2, 'testing').finish())).toEqual([0x12, 0x07, ...new TextEncoder().encode('testing')]);
    expect(Array.from(new ProtoMessage().packedVarints(4, [3, 270]).finish())).toEqual([0x22, 0x03, 0x03, 0x8e, 0x02]);
    const inner = new ProtoMessage().varint(1, 150);
    expect(Array.from(new ProtoMessage().message(3, inner).finish())).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });
});
