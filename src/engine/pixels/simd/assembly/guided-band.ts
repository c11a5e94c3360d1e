// The guided upsampler's band loop (../guided-band.ts explains it; its `jsBand` is the reference).
// Buffers are the caller's, laid out in this module's memory; nothing is allocated or checked here.
const BACKGROUND: u8 = 0;
const MIXED: u8 = 2;
const OVERRULED: u8 = 3;
const COEF_BYTES: i32 = 28;

/**
 * One frame row: the near segments [edges[e - 1], edges[e]) for odd e < count, in frame x, their pixels
 * packed one after the other: the s-th pixel's frame RGBA, alpha and foreground RGBA are entry s of
 * `frame`, `alpha` and `fg`, and its kind goes to kinds[s]. Taps are indexed by crop column x - x0.
 */
export function bandRow(
  edges: usize, count: i32, x0: i32,
  frame: usize, alpha: usize, fg: usize, kinds: usize,
  i0: usize, i1: usize, wx: usize, coef: usize,
  r0: i32, r1: i32, wy: f32, weight: f32, limit: f32,
): void {
  const k: f32 = 1.0 / 255.0;
  const uy: f32 = 1.0 - wy;
  let s: usize = 0;
  for (let e = 1; e < count; e += 2) {
    const from = load<i32>(edges + (<usize>(e - 1) << 2));
    const to = load<i32>(edges + (<usize>e << 2));
    for (let x = from; x < to; x++, s++) {
      const lx = <usize>(x - x0) << 2;
      const c0 = load<i32>(i0 + lx);
      const c1 = load<i32>(i1 + lx);
      const w = load<f32>(wx + lx);
      const u: f32 = 1.0 - w;
      const w00 = f32x4.splat(u * uy);
      const w01 = f32x4.splat(w * uy);
      const w10 = f32x4.splat(u * wy);
      const w11 = f32x4.splat(w * wy);
      const q00 = coef + <usize>((r0 + c0) * COEF_BYTES);
      const q01 = coef + <usize>((r0 + c1) * COEF_BYTES);
      const q10 = coef + <usize>((r1 + c0) * COEF_BYTES);
      const q11 = coef + <usize>((r1 + c1) * COEF_BYTES);
      const lin = f32x4.add(
        f32x4.add(f32x4.mul(v128.load(q00), w00), f32x4.mul(v128.load(q01), w01)),
        f32x4.add(f32x4.mul(v128.load(q10), w10), f32x4.mul(v128.load(q11), w11)),
      );
      const p = frame + (s << 2);
      const R = <f32>load<u8>(p);
      const G = <f32>load<u8>(p, 1);
      const B = <f32>load<u8>(p, 2);
      let a = (f32x4.extract_lane(lin, 0) * R + f32x4.extract_lane(lin, 1) * G + f32x4.extract_lane(lin, 2) * B) * k + f32x4.extract_lane(lin, 3);
      a = a < 0 ? 0 : a > 1 ? 1 : a;
      const ap = alpha + (s << 2);
      const old = load<f32>(ap);
      const d = a - old;
      if (d > limit || d < -limit) {
        store<u8>(kinds + s, OVERRULED);
        continue;
      }
      a = old + weight * d;
      store<f32>(ap, a);
      store<u8>(kinds + s, a <= 0 ? BACKGROUND : MIXED);
      const fix = f32x4.add(
        f32x4.add(f32x4.mul(v128.load(q00, 16), w00), f32x4.mul(v128.load(q01, 16), w01)),
        f32x4.add(f32x4.mul(v128.load(q10, 16), w10), f32x4.mul(v128.load(q11, 16), w11)),
      );
      const rgb = f32x4.add(f32x4.add(fix, f32x4(R, G, B, 0)), f32x4.splat(0.5));
      const ints = i32x4.trunc_sat_f32x4_u(f32x4.min(f32x4.max(rgb, f32x4.splat(0)), f32x4.splat(255)));
      const q = fg + (s << 2);
      store<u8>(q, <u8>i32x4.extract_lane(ints, 0));
      store<u8>(q, <u8>i32x4.extract_lane(ints, 1), 1);
      store<u8>(q, <u8>i32x4.extract_lane(ints, 2), 2);
    }
  }
}
