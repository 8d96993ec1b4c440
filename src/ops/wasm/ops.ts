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

  constructor(
    readonly arena: WasmArena,
    readonly k: KernelExports,
  ) {
    this.gemmScratch = k.gemmScratchBytes();
  }

  /** Bytes of temporaries a conv with patch width `kk` uses: reserve them at compile time. */
  scratchBytes(kk: number): number {
    return this.gemmScratch + Math.max(CHUNK_FLOATS, kk) * 4 + 4096;
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
    this.call(arrays, [2], this.gemmScratch, (p, s) => {
      this.k.gemm(p[0], p[1], p[2], m, n, k, +transA, +transB, +accumulate, 0, m, s);
      this.epilogue(p[2], m, n, bias ? p[3] : 0, activation);
    });
  }

  /** c = act(c + bias) over [rows, n] at byte offset c; relu in the kernel, rarer activations here. */
  private epilogue(c: number, rows: number, n: number, bias: number, activation: ElementwiseActivation): void {
    const inKernel = activation === 'relu' || activation === 'linear';
    if (bias !== 0 || activation === 'relu') this.k.biasActivation(c, n, bias, activation === 'relu' ? 1 : 0, 0, rows);
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
    this.call(b ? [x, w, y, b] : [x, w, y], [2], this.gemmScratch + chunk * kk * 4, (p, s) => {
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
    this.call([dy, w, dx], [2], this.gemmScratch + chunk * kk * 4, (p, s) => {
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
    this.call([x, dy, dw], [2], this.gemmScratch + chunk * kk * 4, (p, s) => {
      const col = s + this.gemmScratch;
      for (let r0 = 0; r0 < rows; r0 += chunk) {
        const r1 = Math.min(rows, r0 + chunk);
        this.k.im2col(p[0], col, ...windowArgs(g, cin), r0, r1);
        this.k.gemm(col, p[1] + r0 * cout * 4, p[2], kk, cout, r1 - r0, 1, 0, r0 > 0 ? 1 : 0, 0, kk, s);
      }
    });
  }

  /** y, argmax [N, outH, outW, C]: window max and the flat index into x of the first winner. */
  maxPool2dForward(x: Float32Array, y: Float32Array, argmax: Uint32Array, g: Geometry2D, c: number): void {
    const outputs = g.batch * g.outH * g.outW;
    need('maxPool2dForward', 'x', x, g.batch * g.inH * g.inW * c);
    need('maxPool2dForward', 'y', y, outputs * c);
    need('maxPool2dForward', 'argmax', argmax, outputs * c);
    this.call([x, y, argmax], [1, 2], 0, (p) => this.k.maxPoolForward(p[0], p[1], p[2], ...windowArgs(g, c), 0, outputs));
  }

  /** dx (zeroed here, n elements) = each output's gradient routed to its winner. */
  maxPool2dBackward(dy: Float32Array, argmax: Uint32Array, dx: Float32Array, n: number): void {
    need('maxPool2dBackward', 'argmax', argmax, dy.length);
    need('maxPool2dBackward', 'dx', dx, n);
    this.call([dy, argmax, dx], [2], 0, (p) => {
      this.k.zero(p[2], 0, n);
      this.k.maxPoolGrad(p[0], p[1], p[2], n, 0, dy.length);
    });
  }

  /** y [N, outH, outW, C] = mean of each window's valid cells. */
  avgPool2dForward(x: Float32Array, y: Float32Array, g: Geometry2D, c: number): void {
    const outputs = g.batch * g.outH * g.outW;
    need('avgPool2dForward', 'x', x, g.batch * g.inH * g.inW * c);
    need('avgPool2dForward', 'y', y, outputs * c);
    this.call([x, y], [1], 0, (p) => this.k.avgPoolForward(p[0], p[1], ...windowArgs(g, c), 0, outputs));
  }

  /** dx [N, H, W, C] (zeroed here) = each output's gradient spread over its window's valid cells. */
  avgPool2dBackward(dy: Float32Array, dx: Float32Array, g: Geometry2D, c: number): void {
    const outputs = g.batch * g.outH * g.outW;
    const size = g.batch * g.inH * g.inW * c;
    need('avgPool2dBackward', 'dy', dy, outputs * c);
    need('avgPool2dBackward', 'dx', dx, size);
    this.call([dy, dx], [1], 0, (p) => {
      this.k.zero(p[1], 0, size);
      this.k.avgPoolGrad(p[0], p[1], ...windowArgs(g, c), 0, outputs);
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
    this.call([dy, y, dx], [2], 0, (p) => this.k.reluGrad(p[0], p[1], p[2], 0, n));
  }

  /** db[c] = sum over rows of dy[r, c] (float64 sums), dy viewed as [rows, channels]. */
  biasGrad(dy: Float32Array, db: Float32Array, channels: number): void {
    if (dy.length % channels !== 0) throw new Error(`biasGrad: ${dy.length} elements do not split into rows of ${channels} channels`);
    need('biasGrad', 'db', db, channels);
    this.call([dy, db], [1], 0, (p) => this.k.biasGrad(p[0], p[1], dy.length / channels, channels, 0, channels));
  }

  /** Adam's update of w and its slots [m, v] (alpha from optimizerStep), bit for bit as the reference. */
  adamUpdate(w: Float32Array, g: Float32Array, slots: Float32Array, alpha: number, c: { beta1: number; beta2: number; epsilon: number }): void {
    const n = w.length;
    need('adamUpdate', 'g', g, n);
    need('adamUpdate', 'slots', slots, 2 * n);
    const f = Math.fround;
    this.call([w, g, slots], [0, 2], 0, (p) => this.k.adam(p[0], p[1], p[2], p[2] + n * 4, f(1 - c.beta1), f(1 - c.beta2), f(c.epsilon), f(alpha), 0, n));
  }
}

/**
 * The kernels on a fresh memory of their own: plain for one thread (the default), or shared, which
 * a worker pool can instantiate the same module on (`instantiateKernels(arena.memory, 'shared')`).
 */
export async function createWasmKernels(build: KernelBuild = 'plain'): Promise<WasmKernels> {
  const memory = newKernelMemory(build);
  return new WasmKernels(new WasmArena(memory), await instantiateKernels(memory, build));
}
