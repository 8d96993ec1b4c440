// A pool of threads that run one WebAssembly kernels module over one shared memory.
// `pool.run(name, args, { start, end })` cuts [start, end) into one chunk per thread (the calling
// thread takes the first), calls `name(...args, chunkStart, chunkEnd)` in every thread's instance
// of the module, and returns when all are done. Kernels take pointers into the shared memory and
// a row/channel/element range, so disjoint ranges never write the same bytes.
//
// Hand-off goes through a small control block (its own SharedArrayBuffer, so the kernels' memory
// layout is not ours to reserve): the caller writes the export's index, the arguments and each
// thread's range, bumps each thread's generation counter and notifies it; each thread counts
// itself done and the last one notifies the caller. Where the caller may block (Node, any Web
// Worker: the training worker) `run` waits with Atomics.wait and returns nothing; on a browser's
// main thread it returns a Promise (Atomics.waitAsync). A hand-off costs tens of microseconds,
// so `minChunk` keeps small ops on the calling thread.
import { isNode, nodeBuiltin, startThread, type PoolThread } from './poolSpawn.ts';
import { ThreadPool } from './poolRun.ts';
import { instanceImports, type ControlLayout } from './poolWorkerMain.ts';

export interface PoolOptions {
  /** Threads in all, the calling one included (1..64). */
  threads: number;
  /** The kernels module, built to import a shared memory. */
  module: WebAssembly.Module;
  /** The shared memory every thread's instance uses. */
  memory: WebAssembly.Memory;
  /** Longest a run may take before the pool gives up on it (default 120 s). */
  timeoutMs?: number;
  /** Polls of a counter before a thread blocks (default 200; 0 always blocks at once). More saves the futex wake-up on an idle many-core machine and costs a lot on a busy one. */
  spin?: number;
}

export interface RunRange {
  start: number;
  end: number;
  /** Fewest items a thread is given: [start, end) uses at most floor((end - start) / minChunk) threads. */
  minChunk?: number;
  /** Chunk boundaries fall on multiples of this, counted from start (SIMD width, cache lines). */
  align?: number;
}

export interface Pool {
  /** Threads in all, the calling one included. */
  readonly threads: number;
  /** Runs export `name` with (...args, chunkStart, chunkEnd) on every chunk; see the module comment. */
  run(name: string, args: readonly number[], range: RunRange): void | Promise<void>;
  /** Ends the threads; the pool cannot run afterwards. */
  close(): Promise<void>;
}

export type ThreadSupport = { ok: true; threads: number } | { ok: false; reason: string };

export const MAX_THREADS = 64;
/** More threads than this rarely pay on the memory-bound ops of a small network. */
export const DEFAULT_THREAD_CAP = 8;
const MAX_ARGS = 32;
const PICKUP_MS = 5_000;
// Measured on 2 busy shared cores (2 threads, empty kernel, median of 6): spin 0: 13 µs, 200: 16 µs
// (best 5), 2000: 41 µs (best 1.7): long spins win only when cores are idle.
const DEFAULT_SPIN = 200;

const LAYOUT: ControlLayout = {
  stop: 0, pending: 1, fn: 2, nargs: 3, error: 4, errorLength: 5,
  gen: 16, ack: 16 + MAX_THREADS,
  // Float64 indices: the Int32 fields above end at byte 4 * (16 + 2 * 64) = 576.
  args: 80, ranges: 80 + MAX_ARGS,
  // Uint16 index: the ranges end at byte 8 * (112 + 2 * 64) = 1920.
  message: 1024, messageChars: 1024,
};
const CONTROL_BYTES = 2 * (LAYOUT.message + LAYOUT.messageChars);

/** Cores this machine offers, capped at DEFAULT_THREAD_CAP. */
export function defaultThreads(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  let cores = nav?.hardwareConcurrency ?? 0;
  if (!cores && isNode()) cores = nodeBuiltin<{ availableParallelism: () => number }>('node:os').availableParallelism();
  return Math.max(1, Math.min(DEFAULT_THREAD_CAP, cores || 1));
}

/** Whether this context can run a pool, and with how many threads by default; if not, why. */
export function threadSupport(): ThreadSupport {
  const g = globalThis as { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown; Worker?: unknown };
  if (!isNode()) {
    if (g.crossOriginIsolated !== true) {
      return { ok: false, reason: 'the page is not cross-origin isolated, so WebAssembly threads are off; running on one thread' };
    }
    if (typeof g.Worker !== 'function') {
      return { ok: false, reason: 'this context cannot start Web Workers, so WebAssembly threads are off; running on one thread' };
    }
  }
  if (typeof g.SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    return { ok: false, reason: 'this browser has no SharedArrayBuffer, so WebAssembly threads are off; running on one thread' };
  }
  return { ok: true, threads: defaultThreads() };
}

export async function createPool(options: PoolOptions): Promise<Pool> {
  const { threads, module, memory } = options;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new Error(`createPool: threads must be an integer in 1..${MAX_THREADS}, got ${threads}`);
  }
  const support = threadSupport();
  if (!support.ok && threads > 1) throw new Error(`createPool: ${support.reason}`);
  if (threads > 1 && !(memory.buffer instanceof SharedArrayBuffer)) {
    throw new Error('createPool: the memory is not shared; create it with new WebAssembly.Memory({ initial, maximum, shared: true })');
  }
  const names = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
  // Asynchronous: a browser's main thread refuses to instantiate large modules synchronously.
  const instance = await WebAssembly.instantiate(module, instanceImports(module, memory));
  // One thread needs no sharing (and a page that is not isolated has no SharedArrayBuffer).
  const shared = threads > 1 ? new SharedArrayBuffer(CONTROL_BYTES) : null;
  const control = shared ?? new ArrayBuffer(CONTROL_BYTES);
  const spin = options.spin ?? DEFAULT_SPIN;
  const workers: PoolThread[] = [];
  for (let index = 1; shared && index < threads; index++) {
    workers.push(startThread({ index, control: shared, layout: LAYOUT, module, memory, names, spin }));
  }
  try {
    await Promise.all(workers.map((w) => w.ready));
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw new Error(`createPool: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return new ThreadPool({ instance, names, control, layout: LAYOUT, workers, spin, timeoutMs: options.timeoutMs ?? 120_000, pickupMs: PICKUP_MS, maxArgs: MAX_ARGS });
}
