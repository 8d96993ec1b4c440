// The CPU engine's ops on the WebAssembly SIMD kernels, with the signatures of their JavaScript
// twins in ops/fast (the tests' reference): GEMM with bias/activation epilogue, convolution as
// im2col + GEMM in chunks of output rows, pooling, activation and bias gradients, Adam.
// Arrays that live in the arena are used in place; any other array is copied into a temporary
// (and back, for outputs), so the ops accept any Float32Array, just slower.
import type { ElementwiseActivation } from '../activations';
import { activationGradInPlace } from '../fast/elementwise';
import type { GemmOptions } from '../fast/gemm';
import type { Geometry2D } from '../shapes';
import { instantiateKernels, newKernelMemory, type KernelBuild } from './kernels';
import { WasmArena } from './memory';
import { CHUNK_FLOATS, GRAD_FILTER_CHUNK_ROWS, isPointwise, need, WasmOpsCore, windowArgs } from './opsCore';
import { kernelPool, MIN_COLS, MIN_ELEMENTS, MIN_MACS, MIN_ROWS, runParts, type ThreadedExports } from './threaded.ts';

export class WasmKernels extends WasmOpsCore {
  /** c[m, n] = act(op(a) · op(b) (+ c if accumulate) + bias), as ops/fast/gemm. */
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, opts: GemmOptions = {}): void {
    const { transA = false, transB = false, accumulate = false, bias, activation = 'linear' } = opts;
    need('gemm', 'a', a, m * k);
    need('gemm', 'b', b, k * n);
    need('gemm', 'c', c, m * n);
    if (bias) need('gemm', 'bias', bias, n);
    const arrays = bias ? [a, b, c, bias] : [a, b, c];
    const parts = this.parts(m, MIN_ROWS);
    // Too few rows to split (a Dense layer's batch): split the columns where the product is large.
    const colParts = parts === 1 && m * n * k >= 2 * MIN_MACS ? this.parts(n, MIN_COLS) : 1;
    this.call(arrays, [2], Math.max(parts, colParts) * this.gemmScratch, (p, s) => {
      if (colParts > 1) {
        runParts(this.pool!, 'gemmColParts', [p[0], p[1], p[2], m, n, k, +transA, +transB, +accumulate, s, this.gemmScratch], colParts);
        return this.epilogue(p[2], m, n, bias ? p[3] : 0, activation);
      }
      if (parts === 1) {
        this.k.gemm(p[0], p[1], p[2], m, n, k, +transA, +transB, +accumulate, 0, m, s);
        return this.epilogue(p[2], m, n, bias ? p[3] : 0, activation);
      }
      runParts(this.pool!, 'gemmParts', [p[0], p[1], p[2], m, n, k, +transA, +transB, +accumulate, bias ? p[3] : 0, activation === 'relu' ? 1 : 0, s, this.gemmScratch], parts);
      this.epilogue(p[2], m, n, 0, activation, true);
    });
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
    this.call(b ? [x, w, y, b] : [x, w, y], [2], this.convScratch(g, cin), (p, s) => this.convRows(p[0], p[1], p[2], b ? p[3] : 0, activation, g, cin, cout, s));
  }

  /** Scratch bytes convRows needs for geometry g over `cin` channels. */
  private convScratch(g: Geometry2D, cin: number): number {
    const kk = g.kH * g.kW * cin;
    const rows = g.batch * g.outH * g.outW;
    return this.parts(rows, MIN_ROWS) * this.slot(this.convChunk(rows, kk) * kk);
  }

  /** Output rows per im2col chunk: about CHUNK_FLOATS floats of patch matrix. */
  private convChunk(rows: number, kk: number): number {
    return Math.max(1, Math.min(rows, Math.floor(CHUNK_FLOATS / kk)));
  }

  /** The forward conv on byte offsets: im2col + GEMM per chunk of output rows, split over the pool by rows. */
  private convRows(x: number, w: number, y: number, bias: number, activation: ElementwiseActivation, g: Geometry2D, cin: number, cout: number, s: number): void {
    const kk = g.kH * g.kW * cin;
    const rows = g.batch * g.outH * g.outW;
    const chunk = this.convChunk(rows, kk);
    const parts = this.parts(rows, MIN_ROWS);
    if (parts > 1) {
      runParts(this.pool!, 'convForwardParts', [x, w, y, bias, activation === 'relu' ? 1 : 0, ...windowArgs(g, cin), cout, rows, chunk, s, this.slot(chunk * kk)], parts);
      return this.epilogue(y, rows, cout, 0, activation, true);
    }
    const col = s + this.gemmScratch;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const r1 = Math.min(rows, r0 + chunk);
      this.k.im2col(x, col, ...windowArgs(g, cin), r0, r1);
      this.k.gemm(col, w, y + r0 * cout * 4, r1 - r0, cout, kk, 0, 0, 0, 0, r1 - r0, s);
    }
    this.epilogue(y, rows, cout, bias, activation);
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
    if (g.strideH === 1 && g.strideW === 1) return this.gradInputAsConv(dy, w, dx, g, cin, cout);
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

  /**
   * dx for stride 1 as a forward conv of dy with the kernel flipped in space and its channels
   * swapped ([kH, kW, Cout, Cin]) over the padding's complement: each dx element is one dot
   * product of length kH·kW·Cout, written once, with no scatter-add and no zeroing; split over
   * the pool by rows like the forward pass.
   */
  private gradInputAsConv(dy: Float32Array, w: Float32Array, dx: Float32Array, g: Geometry2D, cin: number, cout: number): void {
    const flipped: Geometry2D = { ...g, inH: g.outH, inW: g.outW, outH: g.inH, outW: g.inW, padTop: g.kH - 1 - g.padTop, padLeft: g.kW - 1 - g.padLeft };
    const scratch = this.convScratch(flipped, cout);
    this.call([dy, w, dx], [2], scratch + w.length * 4, (p, s) => {
      const wf = s + scratch;
      const [from, to] = [this.arena.f32(p[1], w.length), this.arena.f32(wf, w.length)];
      for (let ky = 0; ky < g.kH; ky++) {
        for (let kx = 0; kx < g.kW; kx++) {
          const src = (ky * g.kW + kx) * cin * cout;
          const dst = ((g.kH - 1 - ky) * g.kW + (g.kW - 1 - kx)) * cout * cin;
          for (let ci = 0; ci < cin; ci++) for (let co = 0; co < cout; co++) to[dst + co * cin + ci] = from[src + ci * cout + co];
        }
      }
      this.convRows(p[0], wf, p[2], 0, 'linear', flipped, cout, cin, s);
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
    // Fixed chunks whatever the thread count: each gives a partial dw, added in chunk order.
    const chunk = Math.max(1, Math.min(rows, GRAD_FILTER_CHUNK_ROWS, Math.floor(CHUNK_FLOATS / kk)));
    const chunks = Math.ceil(rows / chunk);
    const parts = this.pool ? Math.min(this.threads, chunks) : 1;
    const slot = this.slot(chunk * kk);
    const size = kk * cout;
    this.call([x, dy, dw], [2], parts * slot + (chunks > 1 ? chunks * size * 4 : 0), (p, s) => {
      const partials = chunks > 1 ? s + parts * slot : p[2];
      const args = [p[0], p[1], partials, ...windowArgs(g, cin), cout, rows, chunk, s, slot];
      if (parts > 1) runParts(this.pool!, 'convGradFilterParts', args, parts);
      else this.k.convGradFilterParts(...args, 1, 0, 1);
      if (chunks > 1) this.ranged('sumPartials', [partials, p[2], chunks, size], size, Math.ceil(MIN_ELEMENTS / chunks), 4);
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
