// The CPU engine's ops on the WebAssembly SIMD kernels, with the signatures of their JavaScript
// twins in ops/fast (the tests' reference): GEMM with bias/activation epilogue, convolution as
// im2col + GEMM in chunks of output rows, pooling, activation and bias gradients, Adam.
// Arrays that live in the arena are used in place; any other array is copied into a temporary
// (and back, for outputs), so the ops accept any Float32Array, just slower.
import { activate, type ElementwiseActivation } from '../activations';
import { activationGradInPlace } from '../fast/elementwise';
import type { GemmOptions } from '../fast/gemm';
import type { Geometry2D } from '../shapes';
import { instantiateKernels, newKernelMemory, type KernelBuild, type KernelExports } from './kernels';
import { WasmArena } from './memory';
import type { Pool } from './pool.ts';
import { kernelPool, MIN_ELEMENTS, MIN_ROWS, partsFor, runParts, runRange, type ThreadedExports } from './threaded.ts';

type Arr = Float32Array | Uint32Array;

/** Target size of one chunk of a patch matrix, in floats (1 MiB: the chunk and packed panels stay in L2). */
const CHUNK_FLOATS = 1 << 18;

function isPointwise(g: Geometry2D): boolean {
  return g.kH === 1 && g.kW === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0;
}

/** The geometry arguments every window kernel takes after its pointers. */
function windowArgs(g: Geometry2D, channels: number): [number, number, number, number, number, number, number, number, number, number, number] {
  return [channels, g.inH, g.inW, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft];
}

function need(op: string, what: string, a: Arr, n: number): void {
  if (a.length < n) throw new Error(`${op}: ${what} has ${a.length} elements, needs ${n}; pass arrays sized for the shapes given`);
}

export class WasmKernels {
  private readonly gemmScratch: number;
  /** Threads the ops run on (the pool's, the calling one included). */
  readonly threads: number;

  constructor(
    readonly arena: WasmArena,
    readonly k: KernelExports,
    /** With a pool (the shared build), the large ops are split over its threads. */
    readonly pool: Pool | null = null,
  ) {
    this.gemmScratch = k.gemmScratchBytes();
    this.threads = pool?.threads ?? 1;
  }

  /** Bytes of temporaries a conv with patch width `kk` uses: reserve them at compile time. */
  scratchBytes(kk: number): number {
    return this.threads * (this.gemmScratch + Math.max(CHUNK_FLOATS, kk) * 4 + 4096);
  }

  /** Ends the pool's threads (the kernels still run, on one thread). */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** Parts of `work` items of at least `min` each: 1 without a pool. */
  private parts(work: number, min: number): number {
    return this.pool ? partsFor(this.threads, work, min) : 1;
  }

  /** Scratch per part: GEMM panels plus a patch matrix of `floats`, 64-byte aligned. */
  private slot(floats: number): number {
    return Math.ceil((this.gemmScratch + floats * 4) / 64) * 64;
  }

  /** Runs an export with a trailing (start, end) range: on the pool in parts of >= minChunk, else here. */
  private ranged(name: keyof KernelExports, args: number[], end: number, minChunk: number, align = 1): void {
    if (this.pool) runRange(this.pool, name, args, end, minChunk, align);
    else (this.k[name] as (...a: number[]) => void)(...args, 0, end);
  }

  /**
   * Runs fn on the byte offsets of `arrays` (copies in temporaries for those outside the arena)
   * and `scratch` bytes of scratch; copies back the staged arrays listed in `outputs`.
   */
  private call(arrays: Arr[], outputs: number[], scratch: number, fn: (p: number[], s: number) => void): void {
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

  private viewAt(like: Arr, at: number): Arr {
    return like instanceof Float32Array ? this.arena.f32(at, like.length) : this.arena.u32(at, like.length);
  }

  /** c[m, n] = act(op(a) · op(b) (+ c if accumulate) + bias), as ops/fast/gemm. */
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, opts: GemmOptions = {}): void {
    const { transA = false, transB = false, accumulate = false, bias, activation = 'linear' } = opts;
    need('gemm', 'a', a, m * k);
    need('gemm', 'b', b, k * n);
    need('gemm', 'c', c, m * n);
    if (bias) need('gemm', 'bias', bias, n);
    const arrays = bias ? [a, b, c, bias] : [a, b, c];
    const parts = this.parts(m, MIN_ROWS);
    this.call(arrays, [2], parts * this.gemmScratch, (p, s) => {
      if (parts === 1) {
        this.k.gemm(p[0], p[1], p[2], m, n, k, +transA, +transB, +accumulate, 0, m, s);
        return this.epilogue(p[2], m, n, bias ? p[3] : 0, activation);
      }
      runParts(this.pool!, 'gemmParts', [p[0], p[1], p[2], m, n, k, +transA, +transB, +accumulate, bias ? p[3] : 0, activation === 'relu' ? 1 : 0, s, this.gemmScratch], parts);
      this.epilogue(p[2], m, n, 0, activation, true);
    });
  }

  /** c = act(c + bias) over [rows, n] at byte offset c; relu in the kernel, rarer activations here. */
  private epilogue(c: number, rows: number, n: number, bias: number, activation: ElementwiseActivation, kernelDone = false): void {
    const inKernel = activation === 'relu' || activation === 'linear';
    if (!kernelDone && (bias !== 0 || activation === 'relu')) this.k.biasActivation(c, n, bias, activation === 'relu' ? 1 : 0, 0, rows);
    if (inKernel) return;
    const y = this.arena.f32(c, rows * n);
    for (let i = 0; i < y.length; i++) y[i] = activate(y[i], activation);
  }

  /** y [N, outH, outW, Cout] = activation(conv(x, w) + b); x NHWC, w [kH, kW, Cin, Cout]. */
  conv2dForward(x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array, g: Geometry2D, cin: number, cout: number, activation: ElementwiseActivation = 'linear'): void {
    const kk = g.kH * g.kW * cin;
    const rows = g.batch * g.outH * g.outW;
    if (isPointwise(g)) return this.gemm(x, w, y, rows, cout, kk, { bias: b ?? undefined, activation });
    need('conv2dForward', 'x', x, g.batch * g.inH * g.inW * cin);
    need('conv2dForward', 'w', w, kk * cout);
    need('conv2dForward', 'y', y, rows * cout);
    if (b) need('conv2dForward', 'b', b, cout);
    const chunk = Math.max(1, Math.min(rows, Math.floor(CHUNK_FLOATS / kk)));
    const parts = this.parts(rows, MIN_ROWS);
    this.call(b ? [x, w, y, b] : [x, w, y], [2], parts * this.slot(chunk * kk), (p, s) => {
      if (parts > 1) {
        const args = [p[0], p[1], p[2], b ? p[3] : 0, activation === 'relu' ? 1 : 0, ...windowArgs(g, cin), cout, rows, chunk, s, this.slot(chunk * kk)];
        runParts(this.pool!, 'convForwardParts', args, parts);
        return this.epilogue(p[2], rows, cout, 0, activation, true);
      }
      const col = s + this.gemmScratch;
      for (let r0 = 0; r0 < rows; r0 += chunk) {
        const r1 = Math.min(rows, r0 + chunk);
        this.k.im2col(p[0], col, ...windowArgs(g, cin), r0, r1);
        this.k.gemm(col, p[1], p[2] + r0 * cout * 4, r1 - r0, cout, kk, 0, 0, 0, 0, r1 - r0, s);
      }
      this.epilogue(p[2], rows, cout, b ? p[3] : 0, activation);
    });
  }

  /** dx [N, H, W, Cin] from dy [N, outH, outW, Cout]: dcol = dy · Wᵀ per chunk, then col2im. */
  conv2dGradInput(dy: Float32Array, w: Float32Array, dx: Float32Array, g: Geometry2D, cin: number, cout: number): void {
    const kk = g.kH * g.kW * cin;
    const rows = g.batch * g.outH * g.outW;
    if (isPointwise(g)) return this.gemm(dy, w, dx, rows, kk, cout, { transB: true });
    const size = g.batch * g.inH * g.inW * cin;
    need('conv2dGradInput', 'dy', dy, rows * cout);
    need('conv2dGradInput', 'w', w, kk * cout);
    need('conv2dGradInput', 'dx', dx, size);
    const chunk = Math.max(1, Math.min(rows, Math.floor(CHUNK_FLOATS / kk)));
    // Split by whole images: col2im of one image's rows touches only that image's part of dx.
    const parts = rows >= 2 * MIN_ROWS ? this.parts(g.batch, 1) : 1;
    this.call([dy, w, dx], [2], parts * this.slot(chunk * kk), (p, s) => {
      if (parts > 1) {
        runParts(this.pool!, 'convGradInputParts', [p[0], p[1], p[2], ...windowArgs(g, cin), cout, g.batch, chunk, s, this.slot(chunk * kk)], parts);
        return;
      }
      const dcol = s + this.gemmScratch;
      this.k.zero(p[2], 0, size);
      for (let r0 = 0; r0 < rows; r0 += chunk) {
        const r1 = Math.min(rows, r0 + chunk);
        this.k.gemm(p[0] + r0 * cout * 4, p[1], dcol, r1 - r0, kk, cout, 0, 1, 0, 0, r1 - r0, s);
        this.k.col2imAdd(dcol, p[2], ...windowArgs(g, cin), r0, r1);
      }
    });
  }

  /** dw [kH, kW, Cin, Cout] = sum over output pixels of patchᵀ · dy. */
  conv2dGradFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, g: Geometry2D, cin: number, cout: number): void {
    const kk = g.kH * g.kW * cin;
    const rows = g.batch * g.outH * g.outW;
    if (isPointwise(g)) return this.gemm(x, dy, dw, kk, cout, rows, { transA: true });
    need('conv2dGradFilter', 'x', x, g.batch * g.inH * g.inW * cin);
    need('conv2dGradFilter', 'dy', dy, rows * cout);
    need('conv2dGradFilter', 'dw', dw, kk * cout);
    const chunk = Math.max(1, Math.min(rows, Math.floor(CHUNK_FLOATS / kk)));
    // dw sums over every output row: split its rows (patch positions), never the sum, so per
    // element the order is the one-thread order. The patch matrix chunk is shared by the parts.
    const parts = this.parts(kk, MIN_ROWS);
    const colBytes = Math.ceil((chunk * kk * 4) / 64) * 64;
    this.call([x, dy, dw], [2], colBytes + parts * this.gemmScratch, (p, s) => {
      const col = s + parts * this.gemmScratch;
      for (let r0 = 0; r0 < rows; r0 += chunk) {
        const r1 = Math.min(rows, r0 + chunk);
        if (parts === 1) {
          this.k.im2col(p[0], col, ...windowArgs(g, cin), r0, r1);
          this.k.gemm(col, p[1] + r0 * cout * 4, p[2], kk, cout, r1 - r0, 1, 0, r0 > 0 ? 1 : 0, 0, kk, s);
          continue;
        }
        runParts(this.pool!, 'im2colParts', [p[0], col, ...windowArgs(g, cin), r0, r1 - r0], partsFor(this.threads, r1 - r0, MIN_ROWS));
        runParts(this.pool!, 'gemmParts', [col, p[1] + r0 * cout * 4, p[2], kk, cout, r1 - r0, 1, 0, r0 > 0 ? 1 : 0, 0, 0, s, this.gemmScratch], parts);
      }
    });
  }

  /** y, argmax [N, outH, outW, C]: window max and the flat index into x of the first winner. */
  maxPool2dForward(x: Float32Array, y: Float32Array, argmax: Uint32Array, g: Geometry2D, c: number): void {
    const outputs = g.batch * g.outH * g.outW;
    need('maxPool2dForward', 'x', x, g.batch * g.inH * g.inW * c);
    need('maxPool2dForward', 'y', y, outputs * c);
    need('maxPool2dForward', 'argmax', argmax, outputs * c);
    const min = Math.ceil(MIN_ELEMENTS / (c * g.kH * g.kW));
    this.call([x, y, argmax], [1, 2], 0, (p) => this.ranged('maxPoolForward', [p[0], p[1], p[2], ...windowArgs(g, c)], outputs, min));
  }

  /** dx (zeroed here, n elements) = each output's gradient routed to its winner. */
  maxPool2dBackward(dy: Float32Array, argmax: Uint32Array, dx: Float32Array, n: number, disjoint = false): void {
    need('maxPool2dBackward', 'argmax', argmax, dy.length);
    need('maxPool2dBackward', 'dx', dx, n);
    this.call([dy, argmax, dx], [2], 0, (p) => {
      this.ranged('zero', [p[2]], n, MIN_ELEMENTS, 4);
      // Outputs scatter into dx: threads only where no two windows share a cell (`disjoint`).
      if (disjoint) this.ranged('maxPoolGrad', [p[0], p[1], p[2], n], dy.length, MIN_ELEMENTS);
      else this.k.maxPoolGrad(p[0], p[1], p[2], n, 0, dy.length);
    });
  }

  /** y [N, outH, outW, C] = mean of each window's valid cells. */
  avgPool2dForward(x: Float32Array, y: Float32Array, g: Geometry2D, c: number): void {
    const outputs = g.batch * g.outH * g.outW;
    need('avgPool2dForward', 'x', x, g.batch * g.inH * g.inW * c);
    need('avgPool2dForward', 'y', y, outputs * c);
    const min = Math.ceil(MIN_ELEMENTS / (c * g.kH * g.kW));
    this.call([x, y], [1], 0, (p) => this.ranged('avgPoolForward', [p[0], p[1], ...windowArgs(g, c)], outputs, min));
  }

  /** dx [N, H, W, C] (zeroed here) = each output's gradient spread over its window's valid cells. */
  avgPool2dBackward(dy: Float32Array, dx: Float32Array, g: Geometry2D, c: number): void {
    const outputs = g.batch * g.outH * g.outW;
    const size = g.batch * g.inH * g.inW * c;
    need('avgPool2dBackward', 'dy', dy, outputs * c);
    need('avgPool2dBackward', 'dx', dx, size);
    this.call([dy, dx], [1], 0, (p) => {
      this.ranged('zero', [p[1]], size, MIN_ELEMENTS, 4);
      // Windows scatter into dx: threads only where they do not overlap.
      if (g.strideH >= g.kH && g.strideW >= g.kW) this.ranged('avgPoolGrad', [p[0], p[1], ...windowArgs(g, c)], outputs, Math.ceil(MIN_ELEMENTS / (c * g.kH * g.kW)));
      else this.k.avgPoolGrad(p[0], p[1], ...windowArgs(g, c), 0, outputs);
    });
  }

  /** dx = dy * act'(y) (relu in the kernel; the rarer activations in JavaScript). */
  activationGrad(dy: Float32Array, y: Float32Array, dx: Float32Array, kind: ElementwiseActivation): void {
    const n = dx.length;
    need('activationGrad', 'dy', dy, n);
    need('activationGrad', 'y', y, n);
    if (kind !== 'relu') {
      dx.set(dy.subarray(0, n));
      activationGradInPlace(dx, y, kind);
      return;
    }
    this.call([dy, y, dx], [2], 0, (p) => this.ranged('reluGrad', [p[0], p[1], p[2]], n, MIN_ELEMENTS, 4));
  }

  /** db[c] = sum over rows of dy[r, c] (float64 sums), dy viewed as [rows, channels]. */
  biasGrad(dy: Float32Array, db: Float32Array, channels: number): void {
    if (dy.length % channels !== 0) throw new Error(`biasGrad: ${dy.length} elements do not split into rows of ${channels} channels`);
    need('biasGrad', 'db', db, channels);
    const rows = dy.length / channels;
    this.call([dy, db], [1], 0, (p) => this.ranged('biasGrad', [p[0], p[1], rows, channels], channels, Math.max(4, Math.ceil(MIN_ELEMENTS / rows)), 4));
  }

  /** Adam's update of w and its slots [m, v] (alpha from optimizerStep), bit for bit as the reference. */
  adamUpdate(w: Float32Array, g: Float32Array, slots: Float32Array, alpha: number, c: { beta1: number; beta2: number; epsilon: number }): void {
    const n = w.length;
    need('adamUpdate', 'g', g, n);
    need('adamUpdate', 'slots', slots, 2 * n);
    const f = Math.fround;
    this.call([w, g, slots], [0, 2], 0, (p) => this.ranged('adam', [p[0], p[1], p[2], p[2] + n * 4, f(1 - c.beta1), f(1 - c.beta2), f(c.epsilon), f(alpha)], n, MIN_ELEMENTS, 4));
  }
}

/**
 * The kernels on a fresh memory of their own: plain for one thread (the default), or shared, which
 * a worker pool can instantiate the same module on (`instantiateKernels(arena.memory, 'shared')`).
 */
export async function createWasmKernels(build: KernelBuild = 'plain', threads = 1): Promise<WasmKernels> {
  if (threads > 1 && build !== 'shared') throw new Error(`createWasmKernels: ${threads} threads need the 'shared' build`);
  const memory = newKernelMemory(build);
  const k = await instantiateKernels(memory, build);
  // The pool before the arena writes anything: each instantiation rewrites the module's static data.
  const pool = threads > 1 ? await kernelPool(memory, threads) : null;
  return new WasmKernels(new WasmArena(memory), k as ThreadedExports, pool);
}
