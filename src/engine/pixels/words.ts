/**
 * RGBA pixels as one 32-bit word each (R in the low byte on little-endian machines), so a whole pixel
 * moves in one load and store: several times faster than four byte accesses in V8. Int32, not Uint32,
 * keeps the values small integers the JIT does not box.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Alpha 255 in the word layout (0xff000000 as an int32). */
export const OPAQUE = -16777216;

/** A word view of RGBA bytes, or null where that is not possible (unaligned view, big-endian machine). */
export function rgbaWords(bytes: Uint8Array): Int32Array | null {
  if (!LITTLE_ENDIAN || bytes.byteOffset % 4 !== 0 || bytes.length % 4 !== 0) return null;
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}
