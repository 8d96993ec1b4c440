// The heavy CPU ops of the CPU engine behind one interface, in three implementations: the readable
// references (ops/reference, the spec), the fast JavaScript im2col/GEMM versions (ops/fast) and
// the WebAssembly SIMD kernels (ops/wasm). Outputs are written into the given arrays. The engine
// uses wasm where WebAssembly SIMD validates, else the fast JavaScript; gradient checks the references.
import type { ElementwiseActivation } from '../../ops/activations';
import { activationGrad } from '../../ops/activations';
import { avgPool2dBackward, avgPool2dForward } from '../../ops/reference/avgPool2d';
import { biasGrad } from '../../ops/reference/biasGrad';
import { conv2dForward, conv2dGradFilter, conv2dGradInput } from '../../ops/reference/conv2d';
import { matmul } from '../../ops/reference/matmul';
import { maxPool2dBackward, maxPool2dForward } from '../../ops/reference/maxPool2d';
import type { Geometry2D } from '../../ops/shapes';
import * as fastConv from '../../ops/fast/conv2d';
import { activationGradInPlace, biasGradInto } from '../../ops/fast/elementwise';
import { gemm } from '../../ops/fast/gemm';
import * as fastPool from '../../ops/fast/pool';
import type { AdamConfig } from '../../ops/optimizers';
import { adamUpdate, type OptimizerState } from '../../ops/reference/optimizers';
import type { WasmArena } from '../../ops/wasm/memory';
import { createWasmKernels } from '../../ops/wasm/ops';

export interface GemmOpts {
  transA?: boolean;
  transB?: boolean;
  bias?: Float32Array;
  activation?: ElementwiseActivation;
}

interface Conv {
  xShape: number[];
  kShape: number[];
  geom: Geometry2D;
}

interface Pool {
  xShape: number[];
  geom: Geometry2D;
}

export interface CpuOps {
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, opts: GemmOpts): void;
  conv2dForward(x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array, c: Conv, activation: ElementwiseActivation): void;
  conv2dGradInput(dy: Float32Array, w: Float32Array, dx: Float32Array, c: Conv): void;
  conv2dGradFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, c: Conv): void;
  maxPoolForward(x: Float32Array, y: Float32Array, argmax: Uint32Array, p: Pool): void;
  maxPoolGrad(dy: Float32Array, argmax: Uint32Array, dx: Float32Array, p: Pool): void;
  avgPoolForward(x: Float32Array, y: Float32Array, p: Pool): void;
  avgPoolGrad(dy: Float32Array, dx: Float32Array, p: Pool): void;
  /** dx = dy * act'(y) */
  activationGrad(dy: Float32Array, y: Float32Array, dx: Float32Array, kind: ElementwiseActivation): void;
  biasGrad(dy: Float32Array, db: Float32Array, channels: number): void;
  /** Adam's update (call optimizerStep first); absent: the reference. */
  adamUpdate?(w: Float32Array, g: Float32Array, slots: Float32Array, s: OptimizerState, c: AdamConfig): void;
  /** Set when the ops work in a WebAssembly memory: the engine allocates its tensors there, so no op copies. */
  arena?: WasmArena;
  /** Bytes of op temporaries a conv with kernel [kH, kW, Cin, Cout] needs (the engine reserves them at compile time). */
  scratchBytes?(kShape: readonly number[]): number;
  /** Ends the ops' worker threads, if any (the engine's dispose()). */
  close?(): Promise<void>;
}

export const referenceOps: CpuOps = {
  gemm: (a, b, c, m, n, k, o) => c.set(matmul(a, b, { m, n, k, ...o })),
  conv2dForward: (x, w, b, y, c, activation) => y.set(conv2dForward(x, w, b, c.geom, c.kShape[2], c.kShape[3], activation)),
  conv2dGradInput: (dy, w, dx, c) => dx.set(conv2dGradInput(dy, w, c.geom, c.kShape[2], c.kShape[3])),
  conv2dGradFilter: (x, dy, dw, c) => dw.set(conv2dGradFilter(x, dy, c.geom, c.kShape[2], c.kShape[3])),
  maxPoolForward: (x, y, argmax, p) => {
    const r = maxPool2dForward(x, p.geom, p.xShape[3]);
    y.set(r.y);
    argmax.set(r.argmax);
  },
  maxPoolGrad: (dy, argmax, dx, p) => dx.set(maxPool2dBackward(dy, argmax, p.geom, p.xShape[3])),
  avgPoolForward: (x, y, p) => y.set(avgPool2dForward(x, p.geom, p.xShape[3])),
  avgPoolGrad: (dy, dx, p) => dx.set(avgPool2dBackward(dy, p.geom, p.xShape[3])),
  activationGrad: (dy, y, dx, kind) => {
    for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * activationGrad(y[i], kind);
  },
  biasGrad: (dy, db, channels) => db.set(biasGrad(dy, channels)),
};

/** Each engine gets its own scratch (im2col and GEMM packing buffers are reused across calls). */
export function fastOps(): CpuOps {
  const scratch = new fastConv.ConvScratch();
  return {
    gemm: (a, b, c, m, n, k, o) => gemm(a, b, c, m, n, k, o, scratch.gemm),
    conv2dForward: (x, w, b, y, c, activation) => fastConv.conv2dForward(x, w, b, y, c.geom, c.kShape[2], c.kShape[3], activation, scratch),
    conv2dGradInput: (dy, w, dx, c) => fastConv.conv2dGradInput(dy, w, dx, c.geom, c.kShape[2], c.kShape[3], scratch),
    conv2dGradFilter: (x, dy, dw, c) => fastConv.conv2dGradFilter(x, dy, dw, c.geom, c.kShape[2], c.kShape[3], false, scratch),
    maxPoolForward: (x, y, argmax, p) => fastPool.maxPool2dForward(x, y, argmax, p.geom, p.xShape[3]),
    maxPoolGrad: (dy, argmax, dx) => fastPool.maxPool2dBackward(dy, argmax, dx, dx.length),
    avgPoolForward: (x, y, p) => fastPool.avgPool2dForward(x, y, p.geom, p.xShape[3]),
    avgPoolGrad: (dy, dx, p) => fastPool.avgPool2dBackward(dy, dx, p.geom, p.xShape[3]),
    activationGrad: (dy, y, dx, kind) => {
      dx.set(dy);
      activationGradInPlace(dx, y, kind);
    },
    biasGrad: (dy, db, channels) => biasGradInto(dy, db, channels),
  };
}

/** No two pooling windows share an input cell, so the backward scatter may be split over threads. */
const disjoint = (g: Geometry2D) => g.strideH >= g.kH && g.strideW >= g.kW;

/** The WebAssembly SIMD kernels, on a memory of their own (one per engine); threads > 1: a shared memory and a worker pool. */
export async function wasmOps(threads = 1): Promise<CpuOps> {
  const w = await createWasmKernels(threads > 1 ? 'shared' : 'plain', threads);
  return {
    gemm: (a, b, c, m, n, k, o) => w.gemm(a, b, c, m, n, k, o),
    conv2dForward: (x, wt, b, y, c, activation) => w.conv2dForward(x, wt, b, y, c.geom, c.kShape[2], c.kShape[3], activation),
    conv2dGradInput: (dy, wt, dx, c) => w.conv2dGradInput(dy, wt, dx, c.geom, c.kShape[2], c.kShape[3]),
    conv2dGradFilter: (x, dy, dw, c) => w.conv2dGradFilter(x, dy, dw, c.geom, c.kShape[2], c.kShape[3]),
    maxPoolForward: (x, y, argmax, p) => w.maxPool2dForward(x, y, argmax, p.geom, p.xShape[3]),
    maxPoolGrad: (dy, argmax, dx, p) => w.maxPool2dBackward(dy, argmax, dx, dx.length, disjoint(p.geom)),
    avgPoolForward: (x, y, p) => w.avgPool2dForward(x, y, p.geom, p.xShape[3]),
    avgPoolGrad: (dy, dx, p) => w.avgPool2dBackward(dy, dx, p.geom, p.xShape[3]),
    activationGrad: (dy, y, dx, kind) => w.activationGrad(dy, y, dx, kind),
    biasGrad: (dy, db, channels) => w.biasGrad(dy, db, channels),
    adamUpdate: (wt, g, slots, s, c) => (c.amsgrad ? adamUpdate(wt, g, slots, s, c) : w.adamUpdate(wt, g, slots, s.alpha, c)),
    arena: w.arena,
    scratchBytes: (k) => w.scratchBytes(k),
    close: () => w.close(),
  };
}
