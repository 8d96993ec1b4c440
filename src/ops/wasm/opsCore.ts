// What every WebAssembly op shares (ops.ts): the arena, the pool, staging of arrays that live
// outside the arena, scratch slots, ranged calls and the GEMM epilogue.
import { activate, type ElementwiseActivation } from '../activations';
import type { Geometry2D } from '../shapes';
import type { KernelExports } from './kernels';
import type { WasmArena } from './memory';
import type { Pool } from './pool.ts';
import { partsFor, runRange, type ThreadedExports } from './threaded.ts';

export type Arr = Float32Array | Uint32Array;

/** Target size of one chunk of a patch matrix, in floats (1 MiB: the chunk and packed panels stay in L2). */
export const CHUNK_FLOATS = 1 << 18;

/** Most output rows per chunk of the conv filter gradient: enough chunks for every thread, long enough sums for the GEMM. */
export const GRAD_FILTER_CHUNK_ROWS = 1024;

export function isPointwise(g: Geometry2D): boolean {
  return g.kH === 1 && g.kW === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0;
}

/** The geometry arguments every window kernel takes after its pointers. */
export function windowArgs(g: Geometry2D, channels: number): [number, number, number, number, number, number, number, number, number, number, number] {
  return [channels, g.inH, g.inW, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft];
}

export function need(op: string, what: string, a: Arr, n: number): void {
  if (a.length < n) throw new Error(`${op}: ${what} has ${a.length} elements, needs ${n}; pass arrays sized for the shapes given`);
}

export class WasmOpsCore {
  protected readonly gemmScratch: number;
  /** Threads the ops run on (the pool's, the calling one included). */
  readonly threads: number;

  constructor(
    readonly arena: WasmArena,
    readonly k: ThreadedExports,
    /** With a pool (the shared build), the large ops are split over its threads. */
    readonly pool: Pool | null = null,
  ) {
    this.gemmScratch = k.gemmScratchBytes();
    this.threads = pool?.threads ?? 1;
  }

  /** Bytes of temporaries a conv with kernel [kH, kW, Cin, Cout] uses in any pass: reserve them at compile time. */
  scratchBytes(kShape: readonly number[]): number {
    const [kH, kW, cin, cout] = kShape;
    const kk = kH * kW * Math.max(cin, cout); // the input gradient's patch is kH·kW·Cout wide
    return this.threads * (this.gemmScratch + Math.max(CHUNK_FLOATS, kk) * 4 + 4096) + kH * kW * cin * cout * 4;
  }

  /** Ends the pool's threads (the kernels still run, on one thread). */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** Parts of `work` items of at least `min` each: 1 without a pool. */
  protected parts(work: number, min: number): number {
    return this.pool ? partsFor(this.threads, work, min) : 1;
  }

  /** Scratch per part: GEMM panels plus a patch matrix of `floats`, 64-byte aligned. */
  protected slot(floats: number): number {
    return Math.ceil((this.gemmScratch + floats * 4) / 64) * 64;
  }

  /** Runs an export with a trailing (start, end) range: on the pool in parts of >= minChunk, else here. */
  protected ranged(name: keyof KernelExports, args: number[], end: number, minChunk: number, align = 1): void {
    if (this.pool) runRange(this.pool, name, args, end, minChunk, align);
    else (this.k[name] as (...a: number[]) => void)(...args, 0, end);
  }

  /**
   * Runs fn on the byte offsets of `arrays` (copies in temporaries for those outside the arena)
   * and `scratch` bytes of scratch; copies back the staged arrays listed in `outputs`.
   */
  protected call(arrays: Arr[], outputs: number[], scratch: number, fn: (p: number[], s: number) => void): void {
    const a = this.arena;
    const p = arrays.map((x) => a.ptrOf(x));
    const staged = p.map((at) => at < 0);
    try {
      arrays.forEach((x, i) => {
        if (staged[i]) p[i] = a.temp(x.byteLength);
      });
      const s = scratch > 0 ? a.temp(scratch) : 0;
      // Copies only after the last temp: earlier ones could have grown (and detached) the views.
      arrays.forEach((x, i) => {
        if (staged[i]) this.viewAt(x, p[i]).set(x);
      });
      fn(p, s);
      for (const i of outputs) if (staged[i]) arrays[i].set(this.viewAt(arrays[i], p[i]));
    } finally {
      a.endTemps();
    }
  }

  protected viewAt(like: Arr, at: number): Arr {
    return like instanceof Float32Array ? this.arena.f32(at, like.length) : this.arena.u32(at, like.length);
  }

  /** c = act(c + bias) over [rows, n] at byte offset c; relu in the kernel, rarer activations here. */
  protected epilogue(c: number, rows: number, n: number, bias: number, activation: ElementwiseActivation, kernelDone = false): void {
    const inKernel = activation === 'relu' || activation === 'linear';
    if (!kernelDone && (bias !== 0 || activation === 'relu')) this.k.biasActivation(c, n, bias, activation === 'relu' ? 1 : 0, 0, rows);
    if (inKernel) return;
    const y = this.arena.f32(c, rows * n);
    for (let i = 0; i < y.length; i++) y[i] = activate(y[i], activation);
  }
}
