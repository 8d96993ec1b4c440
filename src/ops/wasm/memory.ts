// The WebAssembly memory the SIMD kernels work in, as an arena: the CPU engine allocates its
// tensors here (one allocation per tensor at compile time, a first-fit free list for the ones a
// disposed program gives back), and each op takes its scratch (packed panels, patch matrices,
// copies of arrays that live elsewhere) as temporaries above the allocations, dropped after the op.
//
// Growing a plain (non-shared) memory detaches every view on it, so anything that keeps views
// holds ArenaArrays, whose `view` is rebuilt when `generation` changes, and callers that keep raw
// views re-read them when it does. reserve() at compile time makes growth during a step rare.

const PAGE = 65536;
const ALIGN = 64;
/** Byte offsets below this are left to the module's own static data (the kernels have none today). */
export const ARENA_BASE = PAGE;

type Block = { at: number; bytes: number };
const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

export class WasmArena {
  /** Bumped whenever the memory grows (old views of a plain memory are then detached). */
  generation = 0;
  private top = ARENA_BASE;
  private tempTop = ARENA_BASE;
  private free: Block[] = [];
  private buf: ArrayBufferLike;

  constructor(readonly memory: WebAssembly.Memory) {
    this.buf = memory.buffer;
    this.ensure(ARENA_BASE);
  }

  get buffer(): ArrayBufferLike {
    return this.buf;
  }

  /** Byte offset of a view that lives in this memory, else -1. */
  ptrOf(a: ArrayBufferView): number {
    return a.buffer === this.buf ? a.byteOffset : -1;
  }

  /** A block of at least `bytes` bytes, 64-byte aligned, kept until release(). */
  alloc(bytes: number): number {
    const size = alignUp(Math.max(bytes, 1));
    const i = this.free.findIndex((b) => b.bytes >= size);
    if (i >= 0) {
      const b = this.free[i];
      if (b.bytes === size) this.free.splice(i, 1);
      else this.free[i] = { at: b.at + size, bytes: b.bytes - size };
      return b.at;
    }
    const at = this.top;
    this.top += size;
    this.tempTop = Math.max(this.tempTop, this.top);
    this.ensure(this.top);
    return at;
  }

  /** Gives back a block from alloc(); neighbours merge so a recompile can reuse the space. */
  release(at: number, bytes: number): void {
    this.free.push({ at, bytes: alignUp(Math.max(bytes, 1)) });
    this.free.sort((a, b) => a.at - b.at);
    const merged: Block[] = [];
    for (const b of this.free) {
      const last = merged[merged.length - 1];
      if (last && last.at + last.bytes === b.at) last.bytes += b.bytes;
      else merged.push({ ...b });
    }
    const tail = merged[merged.length - 1];
    if (tail && tail.at + tail.bytes === this.top) {
      this.top = tail.at;
      merged.pop();
    }
    this.free = merged;
  }

  /** Scratch for the op in progress, valid until endTemps(). */
  temp(bytes: number): number {
    const at = Math.max(this.tempTop, this.top);
    this.tempTop = at + alignUp(Math.max(bytes, 1));
    this.ensure(this.tempTop);
    return at;
  }

  endTemps(): void {
    this.tempTop = this.top;
  }

  /** Grows the memory now so that `bytes` of temporaries fit above the allocations. */
  reserve(bytes: number): void {
    this.ensure(this.top + alignUp(bytes));
  }

  f32(at: number, n: number): Float32Array {
    return new Float32Array(this.buf, at, n);
  }

  u32(at: number, n: number): Uint32Array {
    return new Uint32Array(this.buf, at, n);
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // At least double, so a run of small growths costs few detaches.
      const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE));
      try {
        this.memory.grow(pages);
      } catch {
        try {
          this.memory.grow(Math.ceil((end - have) / PAGE));
        } catch {
          throw new Error(`wasm kernels: the memory cannot grow to ${Math.ceil(end / 2 ** 20)} MiB (the browser or the build's maximum refused); use a smaller batch or { kernels: 'js' }`);
        }
      }
      this.generation++;
    }
    this.buf = this.memory.buffer;
  }
}

/** A float32 or uint32 array in an arena; `view` follows the memory when it grows. */
export class ArenaArray<T extends Float32Array | Uint32Array> {
  private gen = -1;
  private v: T | null = null;
  readonly at: number;

  constructor(
    private readonly arena: WasmArena,
    readonly length: number,
    private readonly dtype: 'float32' | 'uint32',
  ) {
    this.at = arena.alloc(length * 4);
    this.view.fill(0);
  }

  get view(): T {
    if (this.gen !== this.arena.generation || this.v === null) {
      this.v = (this.dtype === 'float32' ? this.arena.f32(this.at, this.length) : this.arena.u32(this.at, this.length)) as T;
      this.gen = this.arena.generation;
    }
    return this.v;
  }

  free(): void {
    this.arena.release(this.at, this.length * 4);
  }
}
