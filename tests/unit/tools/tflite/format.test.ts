import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertTfliteFile } from '../../../../tools/tflite/convert';
import { TfliteFormatError } from '../../../../tools/tflite/errors';
import { FlatbufferError, rootTable } from '../../../../tools/tflite/flatbuffer';
import { readTfliteModel } from '../../../../tools/tflite/schema';
import { flatbuffer } from '../../../fixtures/tflite/tflite-builder';

const PACKAGE_DIR = dirname(createRequire(import.meta.url).resolve('@mediapipe/selfie_segmentation/package.json'));
const GENERAL = join(PACKAGE_DIR, 'selfie_segmentation.tflite');
const temp = mkdtempSync(join(tmpdir(), 'backdrop-tflite-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('FlatTable', () => {
  // Hand-laid buffer: root offset 16, "TEST", vtable at 8 (fields at +4 and +8), table at 16 holding
  // i32 42 and an offset to the vector [7, -1, 9] at 28.
  const bytes = new Uint8Array(44);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, 16, true);
  bytes.set(new TextEncoder().encode('TEST'), 4);
  [8, 12, 4, 8].forEach((x, i) => v.setUint16(8 + 2 * i, x, true));
  v.setInt32(16, 8, true);
  v.setInt32(20, 42, true);
  v.setUint32(24, 4, true);
  [3, 7, -1, 9].forEach((x, i) => v.setInt32(28 + 4 * i, x, true));

  it('reads scalars, vectors and defaults of absent fields', () => {
    const t = rootTable(bytes, 'TEST', 'root');
    expect(t.scalar(0, 'i32', 0)).toBe(42);
    expect(t.int32Vector(1, 'vector')).toEqual([7, -1, 9]);
    expect(t.scalar(2, 'i32', -5)).toBe(-5);
    expect(t.string(2)).toBeNull();
  });

  it('refuses a wrong file identifier', () => {
    expect(() => rootTable(bytes, 'TFL3', 'root')).toThrow(/file identifier is "TEST", expected "TFL3"/);
  });

  it('refuses offsets that point past the end instead of reading garbage', () => {
    const t = rootTable(bytes.slice(0, 36), 'TEST', 'root');
    expect(() => t.int32Vector(1, 'vector')).toThrow(FlatbufferError);
  });

  it('agrees with the test builder', () => {
    const t = rootTable(flatbuffer('ABCD', [{ i32: -3 }, { string: 'héllo' }, { ints: [1, 2] }]), 'ABCD', 'root');
    expect([t.scalar(0, 'i32', 0), t.string(1), t.int32Vector(2, 'v')]).toEqual([-3, 'héllo', [1, 2]]);
  });
});

describe('readTfliteModel on the real MediaPipe model', () => {
  const model = readTfliteModel(readFileSync(GENERAL), 'selfie_segmentation.tflite');

  it('finds its input, output and operators', () => {
    expect(model.tensors[model.inputs[0]].shape).toEqual([1, 256, 256, 3]);
    expect(model.tensors[model.outputs[0]].shape).toEqual([1, 256, 256, 1]);
    expect(model.operators).toHaveLength(246);
    const custom = model.operators.filter((op) => op.custom !== null);
    expect(custom.map((op) => op.custom)).toEqual(['Convolution2DTransposeBias']);
    // SAME padding, stride 2 x 2, packed as three int32.
    expect(Array.from(new Int32Array(new Uint8Array(custom[0].customOptions!).buffer))).toEqual([1, 2, 2]);
  });
});

describe('bad .tflite files', () => {
  it('a missing file is named', () => {
    const path = join(temp, 'nothing-here.tflite');
    expect(() => convertTfliteFile(path)).toThrow(TfliteFormatError);
    expect(() => convertTfliteFile(path)).toThrow(`${path}: not a readable TFLite model: the file does not exist`);
  });

  it('a truncated file is named, with what broke', () => {
    const path = join(temp, 'truncated.tflite');
    writeFileSync(path, readFileSync(GENERAL).subarray(0, 4096));
    expect(() => convertTfliteFile(path)).toThrow(new RegExp(`^${path}: not a readable TFLite model: .*outside the 4096-byte file`));
  });

  it('a foreign file (the package PNG-free JS) is named by its identifier', () => {
    const path = join(PACKAGE_DIR, 'selfie_segmentation.binarypb');
    expect(() => convertTfliteFile(path)).toThrow(/selfie_segmentation\.binarypb: not a readable TFLite model: file identifier is .*expected "TFL3"/);
  });

  it('an empty file', () => {
    const path = join(temp, 'empty.tflite');
    writeFileSync(path, new Uint8Array(0));
    expect(() => convertTfliteFile(path)).toThrow(/empty\.tflite: not a readable TFLite model: only 0 bytes/);
  });
});
