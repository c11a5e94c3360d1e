/**
 * Engine thread <-> matting thread. The engine sends the matting-size crop and its trimap; the thread
 * answers with alpha, F and the upsampler's fit, transferred. Both sides parse what arrives.
 */
import { parseEngineError, type EngineError } from './engine';
import { ContractError } from './parse';

interface Plane<T> {
  width: number;
  height: number;
  data: T;
}

/** A rectangle of the frame in frame pixels (x1, y1 exclusive) and the matting size it was scaled to. */
export interface MatteRegion {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  width: number;
  height: number;
}

export type ToMatter =
  | { type: 'matte'; id: number; image: Plane<Uint8Array>; trimap: Plane<Uint8Array>; region?: MatteRegion }
  | { type: 'dispose' };

/** The guided upsampler fitted to a matte (pixels/guided.ts): per low-resolution pixel, its coefficients, whether the band is near, its alpha. */
export interface GuidedFitMessage {
  width: number;
  height: number;
  coef: Float32Array;
  near: Uint8Array;
  alpha: Float32Array;
}

export type FromMatter =
  | { type: 'ready'; provider: string; fellBack: boolean }
  | { type: 'matte'; id: number; alpha: Plane<Float32Array>; foreground: Plane<Uint8Array>; fit: GuidedFitMessage }
  | { type: 'failed'; id: number; error: EngineError };

function record(x: unknown, what: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new ContractError(`${what} must be an object`);
  return x as Record<string, unknown>;
}

function size(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > 16384) throw new ContractError(`${what} must be an integer in [1, 16384]`);
  return x;
}

function coordinate(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 16384) throw new ContractError(`${what} must be an integer in [0, 16384]`);
  return x;
}

function plane<T extends Uint8Array | Float32Array>(x: unknown, kind: { new (n: number): T }, perPixel: number, what: string): Plane<T> {
  const r = record(x, what);
  const width = size(r.width, `${what}.width`);
  const height = size(r.height, `${what}.height`);
  if (!(r.data instanceof kind) || r.data.length !== width * height * perPixel) {
    throw new ContractError(`${what}.data must be a ${kind.name} of ${width * height * perPixel} values`);
  }
  return { width, height, data: r.data };
}

function id(x: unknown): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < -1) throw new ContractError('id must be an integer >= -1');
  return x;
}

function region(x: unknown): MatteRegion {
  const r = record(x, 'region');
  const out = {
    x0: coordinate(r.x0, 'region.x0'),
    y0: coordinate(r.y0, 'region.y0'),
    x1: coordinate(r.x1, 'region.x1'),
    y1: coordinate(r.y1, 'region.y1'),
    width: size(r.width, 'region.width'),
    height: size(r.height, 'region.height'),
  };
  if (out.x1 <= out.x0 || out.y1 <= out.y0) throw new ContractError('region must not be empty');
  return out;
}

export function parseToMatter(x: unknown): ToMatter {
  const r = record(x, 'matting request');
  if (r.type === 'dispose') return { type: 'dispose' };
  if (r.type !== 'matte') throw new ContractError("matting request type must be 'matte' or 'dispose'");
  const image = plane(r.image, Uint8Array, 4, 'image');
  const trimap = plane(r.trimap, Uint8Array, 1, 'trimap');
  if (trimap.width !== image.width || trimap.height !== image.height) throw new ContractError('trimap and image differ in size');
  return { type: 'matte', id: id(r.id), image, trimap, ...(r.region === undefined ? {} : { region: region(r.region) }) };
}

export function parseFromMatter(x: unknown): FromMatter {
  const r = record(x, 'matting reply');
  switch (r.type) {
    case 'ready':
      if (typeof r.provider !== 'string' || typeof r.fellBack !== 'boolean') throw new ContractError('ready needs provider and fellBack');
      return { type: 'ready', provider: r.provider, fellBack: r.fellBack };
    case 'failed':
      return { type: 'failed', id: id(r.id), error: parseEngineError(r.error) };
    case 'matte': {
      const alpha = plane(r.alpha, Float32Array, 1, 'alpha');
      const foreground = plane(r.foreground, Uint8Array, 4, 'foreground');
      const f = record(r.fit, 'fit');
      const width = size(f.width, 'fit.width');
      const height = size(f.height, 'fit.height');
      const n = width * height;
      if (!(f.coef instanceof Float32Array) || f.coef.length % n !== 0) throw new ContractError('fit.coef must be a Float32Array, a whole number of values per pixel');
      if (!(f.near instanceof Uint8Array) || f.near.length !== n) throw new ContractError(`fit.near must be a Uint8Array of ${n} values`);
      if (!(f.alpha instanceof Float32Array) || f.alpha.length !== n) throw new ContractError(`fit.alpha must be a Float32Array of ${n} values`);
      return { type: 'matte', id: id(r.id), alpha, foreground, fit: { width, height, coef: f.coef, near: f.near, alpha: f.alpha } };
    }
    default:
      throw new ContractError("matting reply type must be 'ready', 'matte' or 'failed'");
  }
}
