/**
 * A minimal, bounds-checked reader for FlatBuffers tables (the container format of .tflite files). Every
 * offset is checked against the buffer before it is followed, so a truncated or foreign file fails with a
 * FlatbufferError instead of reading garbage or throwing a bare RangeError from DataView.
 */

export class FlatbufferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlatbufferError';
  }
}

class Bytes {
  readonly view: DataView;
  constructor(readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  need(pos: number, size: number, what: string): void {
    if (!Number.isInteger(pos) || pos < 0 || pos + size > this.data.length) {
      throw new FlatbufferError(`${what} at byte ${pos} (+${size}) lies outside the ${this.data.length}-byte file`);
    }
  }

  u32(pos: number, what: string): number {
    this.need(pos, 4, what);
    return this.view.getUint32(pos, true);
  }

  /** Follows the unsigned offset stored at pos (offsets are relative to where they are stored). */
  deref(pos: number, what: string): number {
    const target = pos + this.u32(pos, what);
    this.need(target, 4, what);
    return target;
  }
}

type Scalar = 'u8' | 'i8' | 'bool' | 'i32' | 'u32' | 'u64';
const SCALAR_SIZE: Record<Scalar, number> = { u8: 1, i8: 1, bool: 1, i32: 4, u32: 4, u64: 8 };

export class FlatTable {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    private readonly bytes: Bytes,
    readonly pos: number,
    private readonly what: string,
  ) {
    bytes.need(pos, 4, `${what} table`);
    this.vtable = pos - bytes.view.getInt32(pos, true);
    bytes.need(this.vtable, 4, `${what} vtable`);
    this.vtableSize = bytes.view.getUint16(this.vtable, true);
    if (this.vtableSize < 4 || this.vtableSize % 2 !== 0) throw new FlatbufferError(`${what} has a malformed vtable`);
    bytes.need(this.vtable, this.vtableSize, `${what} vtable`);
  }

  /** Absolute position of field `id`, or 0 when the field is absent (FlatBuffers then means the default). */
  private field(id: number): number {
    const slot = 4 + 2 * id;
    if (slot >= this.vtableSize) return 0;
    const offset = this.bytes.view.getUint16(this.vtable + slot, true);
    return offset === 0 ? 0 : this.pos + offset;
  }

  scalar(id: number, type: Scalar, fallback: number): number {
    const p = this.field(id);
    if (p === 0) return fallback;
    this.bytes.need(p, SCALAR_SIZE[type], `${this.what} field ${id}`);
    const v = this.bytes.view;
    switch (type) {
      case 'u8':
      case 'bool':
        return v.getUint8(p);
      case 'i8':
        return v.getInt8(p);
      case 'i32':
        return v.getInt32(p, true);
      case 'u32':
        return v.getUint32(p, true);
      case 'u64':
        return Number(v.getBigUint64(p, true));
    }
  }

  table(id: number, what: string): FlatTable | null {
    const p = this.field(id);
    return p === 0 ? null : new FlatTable(this.bytes, this.bytes.deref(p, what), what);
  }

  string(id: number): string | null {
    const bytes = this.vector(id, 1, `${this.what} string ${id}`);
    return bytes === null ? null : new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  }

  /** A byte view of vector `id` whose elements are `elementSize` bytes each (no copy). */
  private vector(id: number, elementSize: number, what: string): Uint8Array | null {
    const p = this.field(id);
    if (p === 0) return null;
    const start = this.bytes.deref(p, what);
    const length = this.bytes.u32(start, what);
    this.bytes.need(start + 4, length * elementSize, `${what} of ${length} elements`);
    return this.bytes.data.subarray(start + 4, start + 4 + length * elementSize);
  }

  bytesVector(id: number, what: string): Uint8Array | null {
    return this.vector(id, 1, what);
  }

  int32Vector(id: number, what: string): number[] {
    const raw = this.vector(id, 4, what);
    if (raw === null) return [];
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Array.from({ length: raw.length / 4 }, (_, i) => view.getInt32(4 * i, true));
  }

  tableVector(id: number, what: string): FlatTable[] {
    const raw = this.vector(id, 4, what);
    if (raw === null) return [];
    const base = raw.byteOffset - this.bytes.data.byteOffset;
    return Array.from({ length: raw.length / 4 }, (_, i) => new FlatTable(this.bytes, this.bytes.deref(base + 4 * i, what), `${what}[${i}]`));
  }
}

/** The root table of a FlatBuffer, after checking its 4-character file identifier. */
export function rootTable(data: Uint8Array, identifier: string, what: string): FlatTable {
  if (data.length < 8) throw new FlatbufferError(`only ${data.length} bytes, too short for a FlatBuffer`);
  const found = String.fromCharCode(...data.subarray(4, 8));
  if (found !== identifier) {
    throw new FlatbufferError(`file identifier is ${JSON.stringify(found)}, expected ${JSON.stringify(identifier)}`);
  }
  const bytes = new Bytes(data);
  return new FlatTable(bytes, bytes.deref(0, `${what} root`), what);
}
