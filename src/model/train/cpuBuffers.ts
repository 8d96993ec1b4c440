// The CPU engine's arrays: plain typed arrays, or, with the WebAssembly kernels, arrays in their
// arena so no op copies its operands. Either way the engine reads `view` (an arena view is rebuilt
// after the memory grows) and calls free() when a compiled program or parameter set goes away.
import { ArenaArray, type WasmArena } from '../../ops/wasm/memory';
import type { HostTensor } from './engine';

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

/** Copies row `row` of a host tensor into `out` at `at`, as floats (bytes scaled) or integers. */
export function gatherRow(t: HostTensor, row: number, out: Float32Array | Uint32Array, at: number): void {
  const width = t.data.length / t.shape[0];
  const src = t.data.subarray(row * width, (row + 1) * width);
  if (t.data instanceof Uint8Array && out instanceof Float32Array) {
    const scale = t.scale ?? 1;
    for (let k = 0; k < width; k++) out[at + k] = src[k] * scale;
  } else {
    out.set(src, at);
  }
}
