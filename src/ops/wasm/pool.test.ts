// The pool on Node worker_threads with a tiny AssemblyScript module compiled here: results on
// 1..4 threads equal a JavaScript float32 reference exactly, traps and asserts surface as Errors
// naming the export, a stuck kernel times out, and the hand-off cost and a GEMM speedup are logged.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, threadSupport, type Pool } from './pool.ts';
import { chunkBounds } from './poolRun.ts';
import { compileTestKernels } from './poolTestKernels.ts';

let module: WebAssembly.Module;
const memory = new WebAssembly.Memory({ initial: 512, maximum: 16384, shared: true });
const BASE = 1 << 16; // below: the module's own static data
const pools: Pool[] = [];

async function pool(threads: number, extra: { timeoutMs?: number; spin?: number } = {}): Promise<Pool> {
  const p = await createPool({ threads, module, memory, ...extra });
  pools.push(p);
  return p;
}

/** Deterministic values in [-1, 1) (a small LCG, so no two runs differ). */
function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** The kernel's arithmetic in JavaScript: per element c = f32(c + f32(a·b)), p in order (wasm has no fused multiply-add). */
function gemmReference(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p]!;
      for (let j = 0; j < n; j++) c[i * n + j] = Math.fround(c[i * n + j]! + Math.fround(av * b[p * n + j]!));
    }
  }
  return c;
}

/** Lays a, b out in the shared memory and returns their pointers and c's. */
function placeGemm(a: Float32Array, b: Float32Array, m: number, n: number): { pa: number; pb: number; pc: number } {
  const pa = BASE;
  const pb = pa + a.byteLength;
  const pc = pb + b.byteLength;
  new Float32Array(memory.buffer, pa, a.length).set(a);
  new Float32Array(memory.buffer, pb, b.length).set(b);
  new Float32Array(memory.buffer, pc, m * n).fill(NaN);
  return { pa, pb, pc };
}

beforeAll(async () => {
  module = new WebAssembly.Module(await compileTestKernels());
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('wasm thread pool', () => {
  it('is supported under Node with a default of 1..8 threads', () => {
    const support = threadSupport();
    expect(support.ok).toBe(true);
    if (support.ok) expect(support.threads).toBeGreaterThanOrEqual(1);
    if (support.ok) expect(support.threads).toBeLessThanOrEqual(8);
  });

  it('splits ranges evenly, on multiples of align', () => {
    expect(chunkBounds(0, 10, 3, 1)).toEqual([0, 3, 6, 10]);
    expect(chunkBounds(5, 105, 4, 8)).toEqual([5, 37, 61, 85, 105]);
    expect(chunkBounds(0, 3, 3, 4)).toEqual([0, 3, 3, 3]);
  });

  it('scales a vector (SIMD body, scalar tail) identically on 1, 2, 3 and 4 threads', async () => {
    const n = 10_001;
    const x = seeded(n, 1);
    const expected = x.map((v) => Math.fround(v * Math.fround(1.7)));
    for (const threads of [1, 2, 3, 4]) {
      const p = await pool(threads);
      const view = new Float32Array(memory.buffer, BASE, n);
      view.set(x);
      p.run('scale', [BASE, n, 1.7], { start: 0, end: n, align: 4 });
      expect(Array.from(view), `${threads} threads`).toEqual(Array.from(expected));
    }
  });

  it('runs a row-split GEMM identically on 1, 2, 3 and 4 threads', async () => {
    const [m, n, k] = [37, 24, 19];
    const a = seeded(m * k, 2);
    const b = seeded(k * n, 3);
    const expected = gemmReference(a, b, m, n, k);
    for (const threads of [1, 2, 3, 4]) {
      const p = await pool(threads);
      const { pa, pb, pc } = placeGemm(a, b, m, n);
      p.run('gemm', [pa, pb, pc, m, n, k], { start: 0, end: m });
      expect(Array.from(new Float32Array(memory.buffer, pc, m * n)), `${threads} threads`).toEqual(Array.from(expected));
    }
  });

  it('keeps a range smaller than minChunk on the calling thread', async () => {
    const p = await pool(4);
    // trapFrom(5) traps on any chunk starting at 5 or later: only the caller's [0, 10) is safe.
    expect(() => p.run('trapFrom', [5], { start: 0, end: 10, minChunk: 100 })).not.toThrow();
    expect(() => p.run('trapFrom', [5], { start: 0, end: 10 })).toThrow(/trapFrom failed on thread [1-3], range \[\d+, \d+\): RuntimeError: unreachable/);
  });

});

describe('wasm thread pool failures', () => {
  it('reports a trap in a worker or in the caller as an Error naming the export, and stays usable', async () => {
    const p = await pool(3);
    expect(() => p.run('trapFrom', [0], { start: 0, end: 30 })).toThrow(/^wasm pool: trapFrom failed on thread 0, range \[0, 10\): RuntimeError: unreachable/);
    expect(() => p.run('assertFails', [], { start: 0, end: 30 })).toThrow(/assertFails failed on thread \d.*abort: the range starts at or after 0 at /);
    expect(() => p.run('nope', [], { start: 0, end: 30 })).toThrow(/nope: the module has no such function; it exports noop, scale, gemm/);
    const view = new Float32Array(memory.buffer, BASE, 30).fill(2);
    p.run('scale', [BASE, 30, 0.5], { start: 0, end: 30 });
    expect(Array.from(view)).toEqual(new Array(30).fill(1));
  });

  it('gives up on a kernel that never returns with an Error, not a hang, and closes the pool', async () => {
    const p = await pool(2, { timeoutMs: 300 });
    const started = Date.now();
    expect(() => p.run('spinForever', [], { start: 0, end: 2 })).toThrow(/spinForever: not finished after 0.3 s .*the pool is closed/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(() => p.run('noop', [], { start: 0, end: 2 })).toThrow(/closed after an earlier failure/);
  });

  it('runs one thread over a plain memory (the build for pages without isolation), and wants a shared one for more', async () => {
    const plainModule = new WebAssembly.Module(await compileTestKernels({ shared: false }));
    const plain = new WebAssembly.Memory({ initial: 2, maximum: 16384 });
    await expect(createPool({ threads: 2, module: plainModule, memory: plain })).rejects.toThrow(/createPool: the memory is not shared; create it with new WebAssembly.Memory/);
    const p = await createPool({ threads: 1, module: plainModule, memory: plain });
    const view = new Float32Array(plain.buffer, BASE, 7).fill(3);
    p.run('scale', [BASE, 7, 0.5], { start: 0, end: 7 });
    expect(Array.from(view)).toEqual(new Array(7).fill(1.5));
    await p.close();
  });

  it('refuses to run after close()', async () => {
    const p = await createPool({ threads: 2, module, memory });
    await p.close();
    expect(() => p.run('noop', [], { start: 0, end: 2 })).toThrow(/noop: the pool is closed/);
  });

});

describe('wasm thread pool lifetime', () => {
  it('lets the process exit: after close(), and also when a pool is left open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-pool-'));
    try {
      writeFileSync(join(dir, 'kernels.wasm'), await compileTestKernels());
      const script = (close: boolean) => `
        import { readFileSync } from 'node:fs';
        import { createPool } from ${JSON.stringify(resolve('src/ops/wasm/pool.ts'))};
        const module = new WebAssembly.Module(readFileSync(${JSON.stringify(join(dir, 'kernels.wasm'))}));
        const memory = new WebAssembly.Memory({ initial: 2, maximum: 16384, shared: true });
        const pool = await createPool({ threads: 3, module, memory });
        pool.run('noop', [], { start: 0, end: 3 });
        ${close ? 'await pool.close();' : ''}
        console.log('ran on', pool.threads, 'threads');`;
      for (const close of [true, false]) {
        const file = join(dir, `child-${close}.mts`);
        writeFileSync(file, script(close));
        const child = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 60_000 });
        expect(child.signal, `close ${close}: ${child.stderr}`).toBeNull();
        expect(child.status, `close ${close}: ${child.stderr}`).toBe(0);
        expect(child.stdout).toContain('ran on 3 threads');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('wasm thread pool timing', () => {
  it('logs the hand-off cost of an empty kernel and the speedup of a large GEMM', async () => {
    const rounds = 2000;
    for (const spin of [0, 200, 2000]) {
      const p = await pool(2, { spin });
      for (let i = 0; i < 100; i++) p.run('noop', [], { start: 0, end: 2 });
      const t0 = performance.now();
      for (let i = 0; i < rounds; i++) p.run('noop', [], { start: 0, end: 2 });
      const us = ((performance.now() - t0) * 1000) / rounds;
      console.log(`wasm pool: empty kernel on 2 threads (spin ${spin}): ${us.toFixed(1)} µs per run`);
    }
    const support = threadSupport();
    const most = Math.max(2, support.ok ? support.threads : 2);
    const [m, n, k] = [512, 512, 512];
    const { pa, pb, pc } = placeGemm(seeded(m * k, 4), seeded(k * n, 5), m, n);
    const times: string[] = [];
    let single = 0;
    for (const threads of [...new Set([1, 2, most])]) {
      const p = await pool(threads);
      p.run('gemm', [pa, pb, pc, m, n, k], { start: 0, end: m });
      let ms = Infinity; // best of 3: the machine is shared
      for (let round = 0; round < 3; round++) {
        const t0 = performance.now();
        p.run('gemm', [pa, pb, pc, m, n, k], { start: 0, end: m });
        ms = Math.min(ms, performance.now() - t0);
      }
      if (threads === 1) single = ms;
      times.push(`${threads} threads ${ms.toFixed(1)} ms (x${(single / ms).toFixed(2)})`);
    }
    console.log(`wasm pool: GEMM ${m}x${n}x${k}: ${times.join(', ')}`);
  });
});
