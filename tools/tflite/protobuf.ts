/**
 * Just enough of the protobuf wire format to write an ONNX model: varints, length-delimited fields and
 * packed repeated scalars. Messages are built bottom-up, each finished into bytes before its parent
 * embeds it, which keeps the writer free of two-pass length bookkeeping.
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH = 2;

/** Base-128 varint; negative values take ten bytes (two's complement over 64 bits), as protobuf's int64 does. */
export function encodeVarint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export class ProtoMessage {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array | number[]): void {
    const chunk = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
    this.parts.push(chunk);
    this.size += chunk.length;
  }

  private key(field: number, wire: number): void {
    this.push(encodeVarint((field << 3) | wire));
  }

  varint(field: number, value: number | bigint): this {
    this.key(field, WIRE_VARINT);
    this.push(encodeVarint(value));
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, WIRE_LENGTH);
    this.push(encodeVarint(data.length));
    this.push(data);
    return this;
  }

  string(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text));
  }

  message(field: number, msg: ProtoMessage): this {
    return this.bytes(field, msg.finish());
  }

  packedVarints(field: number, values: readonly number[]): this {
    return this.bytes(field, Uint8Array.from(values.flatMap((v) => encodeVarint(v))));
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
