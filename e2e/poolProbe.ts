// What the wasm-pool e2e check runs in the browser, in a Web Worker (poolProbe.worker.ts, like the
// training worker: the pool's threads are then nested workers and the caller blocks in
// Atomics.wait) and on a page's main thread (poolProbe.html: run() returns Promises through
// Atomics.waitAsync). Builds a 2-thread pool over a shared memory from the test kernels' bytes.
import { createPool, threadSupport } from '../src/ops/wasm/pool.ts';

export interface PoolProbeResult {
  isolated: boolean;
  support: string;
  /** Whether run() returned a Promise (it must on a main thread, and must not in a worker). */
  returnedPromise: boolean;
  /** Elements of the 2-thread scale that differ from the JavaScript float32 reference. */
  mismatches: number;
  /** What a trap on the other thread's chunk surfaced as. */
  trap: string;
  handOffMicros: number;
  error?: string;
}

export async function probePool(bytes: Uint8Array<ArrayBuffer>): Promise<PoolProbeResult> {
  const result: PoolProbeResult = {
    isolated: self.crossOriginIsolated, support: JSON.stringify(threadSupport()), returnedPromise: false, mismatches: -1, trap: '', handOffMicros: -1,
  };
  try {
    const module = await WebAssembly.compile(bytes);
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 16384, shared: true });
    const pool = await createPool({ threads: 2, module, memory });
    const n = 1001;
    const x = new Float32Array(memory.buffer, 1 << 16, n);
    for (let i = 0; i < n; i++) x[i] = Math.sin(i);
    const expected = Array.from(x, (v) => Math.fround(v * Math.fround(0.3)));
    const done = pool.run('scale', [1 << 16, n, 0.3], { start: 0, end: n, align: 4 });
    result.returnedPromise = done instanceof Promise;
    await done;
    result.mismatches = expected.filter((v, i) => v !== x[i]).length;
    try {
      await pool.run('trapFrom', [1], { start: 0, end: 2 });
    } catch (e) {
      result.trap = e instanceof Error ? e.message : String(e);
    }
    const rounds = 1000;
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) await pool.run('noop', [], { start: 0, end: 2 });
    result.handOffMicros = ((performance.now() - t0) * 1000) / rounds;
    await pool.close();
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  }
  return result;
}
