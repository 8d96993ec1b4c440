// The heavy CPU ops the CPU engine calls, behind one interface: the readable references
// (src/gpu/cpu) or the fast im2col/GEMM versions (src/cpu). Outputs are written into `y`.
import type { ElementwiseActivation } from '../../gpu/activations';
import { conv2dForward, conv2dGradFilter, conv2dGradInput } from '../../gpu/cpu/conv2d';
import { matmul } from '../../gpu/cpu/matmul';
import type { Geometry2D } from '../../gpu/shapes';
import type { ConvWindow } from './program';
import { gemm } from '../../cpu/gemm';

export interface GemmOpts {
  transA?: boolean;
  transB?: boolean;
  bias?: Float32Array;
  activation?: ElementwiseActivation;
}

export interface CpuOps {
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, opts: GemmOpts): void;
  conv2dForward(x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array, xShape: number[], kShape: number[], conv: ConvWindow, geom: Geometry2D, activation: ElementwiseActivation): void;
  conv2dGradInput(dy: Float32Array, w: Float32Array, dx: Float32Array, xShape: number[], kShape: number[], conv: ConvWindow, geom: Geometry2D): void;
  conv2dGradFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, xShape: number[], kShape: number[], conv: ConvWindow, geom: Geometry2D): void;
}

export const referenceOps: CpuOps = {
  gemm: (a, b, c, m, n, k, o) => c.set(matmul(a, b, { m, n, k, ...o })),
  conv2dForward: (x, w, b, y, xShape, kShape, conv, _g, activation) => y.set(conv2dForward(x, xShape, w, kShape, b, { ...conv, activation })),
  conv2dGradInput: (dy, w, dx, xShape, kShape, conv) => dx.set(conv2dGradInput(dy, w, kShape, xShape, conv)),
  conv2dGradFilter: (x, dy, dw, xShape, kShape, conv) => dw.set(conv2dGradFilter(x, xShape, dy, kShape, conv)),
};

export const fastOps: CpuOps = {
  ...referenceOps,
  gemm: (a, b, c, m, n, k, o) => gemm(a, b, c, m, n, k, o),
};
