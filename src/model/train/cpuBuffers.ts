// The CPU engine's arrays: plain typed arrays, or, with the WebAssembly kernels, arrays in their
// arena so no op copies its operands. Either way the engine reads `view` (an arena view is rebuilt
// after the memory grows) and calls free() when a compiled program or parameter set goes away.
import { ArenaArray, type WasmArena } from '../../ops/wasm/memory';

export interface CpuBuffer<T extends Float32Array | Uint32Array> {
  readonly view: T;
  free(): void;
}

/** A zeroed array of n elements, in the arena when there is one. */
export function newBuffer(arena: WasmArena | undefined, n: number, dtype: 'float32'): CpuBuffer<Float32Array>;
export function newBuffer(arena: WasmArena | undefined, n: number, dtype: 'float32' | 'uint32'): CpuBuffer<Float32Array | Uint32Array>;
export function newBuffer(arena: WasmArena | undefined, n: number, dtype: 'float32' | 'uint32'): CpuBuffer<Float32Array | Uint32Array> {
  if (arena) return new ArenaArray(arena, n, dtype);
  const view = dtype === 'uint32' ? new Uint32Array(n) : new Float32Array(n);
  return { view, free: () => {} };
}
