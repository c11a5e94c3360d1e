/**
 * The memory a WebAssembly kernel shares with us. The kernels are built with their memory imported and
 * their own data in its first KiB (scripts/build-wasm.ts, --memoryBase), so our buffers start after it.
 */
const BASE = 1024;
const PAGE = 65536;

export class SharedMemory {
  readonly memory = new WebAssembly.Memory({ initial: 1 });
  u8 = new Uint8Array(this.memory.buffer);
  i32 = new Int32Array(this.memory.buffer);
  f32 = new Float32Array(this.memory.buffer);

  /**
   * Byte offsets for the named buffers, in order, each 16-byte aligned with 16 bytes to spare (a kernel
   * may read one vector past a buffer's end); grows the memory when they do not fit, which renews the views.
   */
  layout<K extends string>(buffers: readonly (readonly [K, number])[]): Record<K, number> {
    const at = {} as Record<K, number>;
    let end = BASE;
    for (const [name, bytes] of buffers) {
      at[name] = end;
      end += align16(bytes) + 16;
    }
    if (end > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((end - this.memory.buffer.byteLength) / PAGE));
      this.u8 = new Uint8Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
      this.f32 = new Float32Array(this.memory.buffer);
    }
    return at;
  }
}

function align16(bytes: number): number {
  return (bytes + 15) & ~15;
}

export function instantiate(module: WebAssembly.Module, memory: SharedMemory): WebAssembly.Exports {
  const abort = () => {
    throw new Error('a WebAssembly kernel aborted');
  };
  return new WebAssembly.Instance(module, { env: { memory: memory.memory, abort } }).exports;
}

const compiled = new Map<string, WebAssembly.Module | null>();

/** The compiled module of a kernel's base64 binary, or null where this runtime has no WebAssembly SIMD. */
export function simdModuleOf(base64: string): WebAssembly.Module | null {
  let module = compiled.get(base64);
  if (module === undefined) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    module = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    compiled.set(base64, module);
  }
  return module;
}
