// The heavy ops as tuner inputs (tuning.ts Tunable): each op's variant list at its shapes, and how
// to prepare one variant over given tensors. The signature holds what changes the choice: every
// tensor's shape and the window geometry (activation and bias cost the same in every variant).
import type { ElementwiseActivation } from '../ops/activations';
import type { Geometry2D } from '../ops/shapes';
import { conv2dVariants, prepareConv2d } from './kernels/conv2d';
import { conv2dGradFilterPartialsShape, conv2dGradFilterVariants, prepareConv2dGradFilter } from './kernels/conv2dGradFilter';
import { conv2dGradInputVariants, prepareConv2dGradInput } from './kernels/conv2dGradInput';
import { matmulVariants, prepareMatmul } from './kernels/matmul';
import { maxPool2dBackwardVariants, prepareMaxPool2dBackward } from './kernels/maxPool2dBackward';
import type { GpuRuntime } from './runtime';
import { shapeString, type GpuTensor } from './tensor';
import type { Tunable } from './tuning';

function geometryString(g: Geometry2D): string {
  return `k${g.kH}x${g.kW} s${g.strideH}x${g.strideW} p${g.padTop},${g.padLeft}`;
}

function signature(tensors: readonly GpuTensor[], g?: Geometry2D): string {
  const shapes = tensors.map((t) => shapeString(t.shape)).join(' ');
  return g ? `${shapes} ${geometryString(g)}` : shapes;
}

/** Conv2D forward: tensors [x, kernel, y] and the bias last when there is one. */
export function conv2dTunable(
  rt: GpuRuntime,
  x: GpuTensor,
  w: GpuTensor,
  b: GpuTensor | null,
  y: GpuTensor,
  g: Geometry2D,
  activation: ElementwiseActivation,
): Tunable {
  const [cin, cout] = w.shape.slice(-2);
  return {
    op: 'conv2d.forward',
    signature: signature([x, w, y], g),
    work: y.size * g.kH * g.kW * cin,
    variants: conv2dVariants(cin, cout),
    tensors: b ? [x, w, y, b] : [x, w, y],
    prepare: async (v, [tx, tw, ty, tb]) => [await prepareConv2d(rt, tx, tw, tb ?? null, ty, g, activation, v)],
  };
}

/** Conv2D input gradient: tensors [dy, kernel, dx]. */
export function conv2dGradInputTunable(rt: GpuRuntime, dy: GpuTensor, w: GpuTensor, dx: GpuTensor, g: Geometry2D): Tunable {
  const [cin, cout] = w.shape.slice(-2);
  return {
    op: 'conv2d.grad_input',
    signature: signature([dy, w, dx], g),
    work: dy.size * g.kH * g.kW * w.shape[2],
    variants: conv2dGradInputVariants(cin, cout),
    tensors: [dy, w, dx],
    prepare: async (v, [tdy, tw, tdx]) => [await prepareConv2dGradInput(rt, tdy, tw, tdx, g, v)],
  };
}

/** Conv2D filter gradient: tensors [x, dy, dkernel]; each variant's partial sums come from `scratch`. */
export function conv2dGradFilterTunable(rt: GpuRuntime, x: GpuTensor, dy: GpuTensor, dw: GpuTensor, g: Geometry2D): Tunable {
  return {
    op: 'conv2d.grad_filter',
    signature: signature([x, dy, dw], g),
    work: dy.size * g.kH * g.kW * dw.shape[2],
    variants: conv2dGradFilterVariants(g, dw.shape),
    tensors: [x, dy, dw],
    prepare: (v, [tx, tdy, tdw], scratch) => prepareConv2dGradFilter(rt, tx, tdy, tdw, scratch(conv2dGradFilterPartialsShape(g, dw.shape, v)), g, v),
  };
}

/** C = act(op(A) · op(B) + bias): tensors [a, b, c] and the bias last when there is one. */
export function matmulTunable(
  rt: GpuRuntime,
  a: GpuTensor,
  b: GpuTensor,
  c: GpuTensor,
  opts: { transA?: boolean; transB?: boolean; bias?: GpuTensor; activation?: ElementwiseActivation } = {},
): Tunable {
  const { transA = false, transB = false, bias, activation } = opts;
  const [m, n] = [c.size / c.shape[c.shape.length - 1], c.shape[c.shape.length - 1]];
  const k = transA ? a.size / a.shape[a.shape.length - 1] : a.shape[a.shape.length - 1];
  return {
    op: `matmul${transA ? '.tA' : ''}${transB ? '.tB' : ''}`,
    signature: `${m}x${k}x${n}`,
    work: m * n * k,
    variants: matmulVariants(m, n, k, transA, transB),
    tensors: bias ? [a, b, c, bias] : [a, b, c],
    prepare: async (v, [ta, tb, tc, tbias]) => [await prepareMatmul(rt, ta, tb, tc, { transA, transB, bias: tbias, activation, variant: v })],
  };
}

/** Max pooling backward: tensors [dy, argmax, dx]. */
export function maxPool2dBackwardTunable(rt: GpuRuntime, dy: GpuTensor, argmax: GpuTensor, dx: GpuTensor, g: Geometry2D): Tunable {
  return {
    op: 'maxpool2d.backward',
    signature: signature([dy, dx], g),
    // The general kernel searches every window covering each input cell.
    work: dx.size * g.kH * g.kW,
    variants: maxPool2dBackwardVariants(g, dx.shape[dx.shape.length - 1]),
    tensors: [dy, argmax, dx],
    prepare: async (v, [tdy, targ, tdx]) => [await prepareMaxPool2dBackward(rt, tdy, targ, tdx, g, v)],
  };
}
