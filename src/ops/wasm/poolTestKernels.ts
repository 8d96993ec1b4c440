// A tiny AssemblyScript kernels module for the pool's tests, compiled in memory with asc the way
// the real kernels are built for threads (imported shared memory, threads and SIMD on). Stands in
// for src/ops/wasm/assembly until the real kernels land, and keeps the pool's tests independent of them.
import asc from 'assemblyscript/asc';

/** AssemblyScript source: every export ends with the (start, end) range the pool appends. */
export const TEST_KERNELS_SOURCE = `
export function noop(start: i32, end: i32): void {}

/** x[i] *= factor for i in [start, end): SIMD body, scalar tail. */
export function scale(ptr: usize, n: i32, factor: f32, start: i32, end: i32): void {
  const f = f32x4.splat(factor);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const p = ptr + (<usize>i << 2);
    v128.store(p, f32x4.mul(v128.load(p), f));
  }
  for (; i < end; i++) {
    const p = ptr + (<usize>i << 2);
    store<f32>(p, load<f32>(p) * factor);
  }
}

/** c[m, n] = a[m, k] · b[k, n] for rows [rowStart, rowEnd); n a multiple of 4. */
export function gemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const cRow = c + (<usize>(i * n) << 2);
    for (let j = 0; j < n; j += 4) v128.store(cRow + (<usize>j << 2), f32x4.splat(0));
    for (let p = 0; p < k; p++) {
      const av = f32x4.splat(load<f32>(a + (<usize>(i * k + p) << 2)));
      const bRow = b + (<usize>(p * n) << 2);
      for (let j = 0; j < n; j += 4) {
        const at = cRow + (<usize>j << 2);
        v128.store(at, f32x4.add(v128.load(at), f32x4.mul(av, v128.load(bRow + (<usize>j << 2)))));
      }
    }
  }
}

/** Traps (unreachable) when its chunk starts past 'at': lets a test make one thread fail. */
export function trapFrom(at: i32, start: i32, end: i32): void {
  if (start >= at) unreachable();
}

/** Fails an assert (AssemblyScript's abort import) on every chunk. */
export function assertFails(start: i32, end: i32): void {
  assert(start < 0, 'the range starts at or after 0');
}

/** Never returns on a worker's chunk (start > 0): lets a test see the pool's timeout. */
export function spinForever(start: i32, end: i32): void {
  if (start == 0) return;
  let x = start;
  while (x >= 0) x = (x + 1) & 0x7fffffff;
}
`;

/** Compiles TEST_KERNELS_SOURCE to a module importing a shared memory, or a plain one (no GC runtime: kernels never allocate). */
export async function compileTestKernels({ shared = true } = {}): Promise<Uint8Array<ArrayBuffer>> {
  const result = await asc.compileString(TEST_KERNELS_SOURCE, {
    importMemory: true,
    sharedMemory: shared,
    initialMemory: 1,
    maximumMemory: 16384,
    enable: shared ? ['threads', 'simd'] : ['simd'],
    runtime: 'stub',
    optimizeLevel: 3,
  });
  if (result.error || !result.binary) throw new Error(`asc: ${result.error?.message ?? 'no binary'}\n${result.stderr.toString()}`);
  return new Uint8Array(result.binary);
}
