// The compositor over a stretched background (../composite.ts explains it; the composite stage's
// compositeStretched is the reference). Buffers are the caller's, laid out in this module's memory.
const PERSON: u8 = 1;
const BACKGROUND: u8 = 0;
const OPAQUE: u32 = 0xff000000;

/** Row blend of two stretched rows, `w` in 128ths of the second, 4 pixels at a time, made opaque. */
@inline
function rowBlend4(p: v128, q: v128, u: v128, w: v128): v128 {
  const half = i16x8.splat(64);
  const lo = i16x8.shr_u(i16x8.add(i16x8.add(i16x8.mul(i16x8.extend_low_i8x16_u(p), u), i16x8.mul(i16x8.extend_low_i8x16_u(q), w)), half), 7);
  const hi = i16x8.shr_u(i16x8.add(i16x8.add(i16x8.mul(i16x8.extend_high_i8x16_u(p), u), i16x8.mul(i16x8.extend_high_i8x16_u(q), w)), half), 7);
  return v128.or(i8x16.narrow_i16x8_u(lo, hi), i32x4.splat(<i32>OPAQUE));
}

@inline
function rowBlend1(p: u32, q: u32, u: u32, w: u32): u32 {
  return ((((p & 0xff00ff) * u + (q & 0xff00ff) * w + 0x400040) >> 7) & 0xff00ff) | ((((p & 0xff00) * u + (q & 0xff00) * w + 0x4000) >> 7) & 0xff00) | OPAQUE;
}

export function stretched(
  width: i32, height: i32, fg: usize, alpha: usize, rows: usize, top: usize, bottom: usize, weight: usize,
  first: usize, count: usize, ends: usize, kinds: usize, out: usize,
): void {
  const opaque = i32x4.splat(<i32>OPAQUE);
  for (let y = 0; y < height; y++) {
    const yo = <usize>y << 2;
    const a = rows + (<usize>load<i32>(top + yo) << 2);
    const b = rows + (<usize>load<i32>(bottom + yo) << 2);
    const w = <u32>load<i32>(weight + yo);
    const u = 128 - w;
    const wv = i16x8.splat(<i16>w);
    const uv = i16x8.splat(<i16>u);
    const row = <usize>y * <usize>width;
    let start: i32 = 0;
    const k0 = load<i32>(first + yo);
    const k1 = k0 + load<i32>(count + yo);
    for (let k = k0; k < k1; k++) {
      const end = load<i32>(ends + (<usize>k << 2));
      const kind = load<u8>(kinds + <usize>k);
      let x = start;
      if (kind == PERSON) {
        for (; x + 4 <= end; x += 4) {
          const o = (row + <usize>x) << 2;
          v128.store(out + o, v128.or(v128.load(fg + o), opaque));
        }
        for (; x < end; x++) {
          const o = (row + <usize>x) << 2;
          store<u32>(out + o, load<u32>(fg + o) | OPAQUE);
        }
      } else if (kind == BACKGROUND) {
        for (; x + 4 <= end; x += 4) {
          const s = <usize>x << 2;
          v128.store(out + ((row + <usize>x) << 2), rowBlend4(v128.load(a + s), v128.load(b + s), uv, wv));
        }
        for (; x < end; x++) {
          const s = <usize>x << 2;
          store<u32>(out + ((row + <usize>x) << 2), rowBlend1(load<u32>(a + s), load<u32>(b + s), u, w));
        }
      } else {
        for (; x < end; x++) {
          const s = <usize>x << 2;
          const o = (row + <usize>x) << 2;
          const B = rowBlend1(load<u32>(a + s), load<u32>(b + s), u, w);
          const v = load<f32>(alpha + o);
          if (v >= 1) {
            store<u32>(out + o, load<u32>(fg + o) | OPAQUE);
            continue;
          }
          if (!(v > 0)) {
            store<u32>(out + o, B);
            continue;
          }
          // In float64, as the reference computes it, so the rounding of the weight agrees exactly.
          const m = <u32>(<i32>(<f64>v * 256.0 + 0.5));
          const n = 256 - m;
          const F = load<u32>(fg + o);
          const r = ((F & 255) * m + (B & 255) * n + 128) >> 8;
          const g = (((F >> 8) & 255) * m + ((B >> 8) & 255) * n + 128) >> 8;
          const bl = (((F >> 16) & 255) * m + ((B >> 16) & 255) * n + 128) >> 8;
          store<u32>(out + o, r | (g << 8) | (bl << 16) | OPAQUE);
        }
      }
      start = end;
    }
  }
}
