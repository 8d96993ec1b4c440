// The multi-threaded paths of the wasm ops (ops.ts): how many parts an op is cut into and the
// pool calls of assembly/threaded.ts. A part is one thread's rows (GEMM: rows of C; conv forward:
// output pixels; conv input gradient: whole images, since col2im scatters) with its own scratch
// slot. Small ops stay in one part: a hand-off costs ~15-20 µs, more than they take.
import { createPool, threadSupport, type Pool } from './pool.ts';
import { kernelModule, type KernelExports } from './kernels.ts';

/** The pool's entry points (assembly/threaded.ts); each ends with (parts, t0, t1). */
export interface ThreadedExports extends KernelExports {
  gemmParts(...args: number[]): void;
  gemmColParts(...args: number[]): void;
  convForwardParts(...args: number[]): void;
  convGradInputParts(...args: number[]): void;
  convGradFilterParts(...args: number[]): void;
}

/** Fewest GEMM rows (of C) per thread; fewer and the hand-off costs more than it saves. */
export const MIN_ROWS = 64;
/** Fewest GEMM columns (of C) per thread when a product has too few rows to split by rows. */
export const MIN_COLS = 32;
/** Fewest multiply-adds per thread worth a hand-off. */
export const MIN_MACS = 1 << 18;
/** Fewest elements per thread in elementwise ops. */
export const MIN_ELEMENTS = 1 << 15;

/** Parts for `work` items when a part must have at least `min` of them. */
export function partsFor(threads: number, work: number, min: number): number {
  return Math.max(1, Math.min(threads, Math.floor(work / min)));
}

/** Runs export `name` on parts 0..parts-1, one per thread; throws where the caller cannot block. */
export function runParts(pool: Pool, name: string, args: number[], parts: number): void {
  if (pool.run(name, [...args, parts], { start: 0, end: parts }) !== undefined) {
    throw new Error(`wasm kernels: ${name} cannot wait for its threads here (a browser's main thread); run the CPU engine in a worker or with threads: 1`);
  }
}

/** Runs an export whose trailing (start, end) is an element/row/channel range, split by the pool. */
export function runRange(pool: Pool, name: string, args: number[], end: number, minChunk: number, align = 1): void {
  if (pool.run(name, args, { start: 0, end, minChunk, align }) !== undefined) {
    throw new Error(`wasm kernels: ${name} cannot wait for its threads here (a browser's main thread); run the CPU engine in a worker or with threads: 1`);
  }
}

/** Whether this thread may block in Atomics.wait (a browser's main thread may not). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Why `threads` threads cannot run here, or null when they can. */
export function threadsRefused(threads: number): string | null {
  if (threads <= 1) return null;
  const support = threadSupport();
  if (!support.ok) return support.reason;
  if (!canBlock()) return 'this thread cannot block (a browser\'s main thread), so WebAssembly threads are off; running on one thread';
  return null;
}

/** A pool of `threads` threads over the shared build on `memory` (create it before writing tensors). */
export async function kernelPool(memory: WebAssembly.Memory, threads: number): Promise<Pool> {
  return createPool({ threads, module: await kernelModule('shared'), memory });
}
