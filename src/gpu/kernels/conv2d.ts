// Conv2D forward (implicit GEMM, fused bias and activation). Also what the conv2d gradient
// kernels share: the uniform packing (every Params struct starts with the same 13 geometry fields)
// and the check of a conv's tensors against its geometry.
import source from '../../../shaders/conv2d.forward.wgsl?raw';
import vec4Source from '../../../shaders/conv2d.forward_vec4.wgsl?raw';
import block8Source from '../../../shaders/conv2d.forward_8x8.wgsl?raw';
import narrowSource from '../../../shaders/conv2d.forward_narrow.wgsl?raw';
import { ACTIVATION_CODES, type ElementwiseActivation } from '../../ops/activations';
import { inputShape2D, outputShape2D, type Geometry2D } from '../../ops/shapes';
import { u32Uniforms, withConstants, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withConvGeometry } from '../shaders';
import { checkShape, type GpuTensor } from '../tensor';

const WG = 64;
/** Output pixels per invocation in the conv2d shaders (as are channels: 4). */
export const CONV_PIX = 4;

export const conv2dForwardKernel: KernelDef = {
  name: 'conv2d.forward',
  source: withConvGeometry(source),
  bindings: ['read', 'read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** Same bindings and uniforms, for inC % 4 == 0 and outC % 4 == 0: reads x and kernel as vec4s. */
export const conv2dForwardVec4Kernel: KernelDef = { ...conv2dForwardKernel, name: 'conv2d.forward_vec4', source: withConvGeometry(vec4Source) };

/** Same bindings and uniforms, for inC % 4 == 0 and outC % 8 == 0: 8 pixels x 8 channels per invocation. */
export const conv2dForward8x8Kernel: KernelDef = { ...conv2dForwardKernel, name: 'conv2d.forward_8x8', source: withConvGeometry(block8Source) };

/** Same, for any inC and outC % 8 == 0 (x read per channel): image inputs with 1 or 3 channels. */
export const conv2dForwardNarrowKernel: KernelDef = { ...conv2dForwardKernel, name: 'conv2d.forward_narrow', source: withConvGeometry(narrowSource) };

/** The geometry head of every conv2d kernel's Params, then that kernel's own fields. */
export function conv2dUniforms(g: Geometry2D, cin: number, cout: number, ...extra: number[]): ArrayBuffer {
  return u32Uniforms(
    g.batch, g.inH, g.inW, cin,
    g.outH, g.outW, cout, g.kH,
    g.kW, g.strideH, g.strideW, g.padTop,
    g.padLeft, ...extra,
  );
}

/** The geometry constants of every conv2d kernel (shaders/conv_geometry.wgsl). */
export function convGeometry(g: Geometry2D, cin: number, cout: number): Record<string, number> {
  return {
    IN_H: g.inH, IN_W: g.inW, CIN: cin, OUT_H: g.outH, OUT_W: g.outW, COUT: cout,
    K_H: g.kH, K_W: g.kW, STRIDE_H: g.strideH, STRIDE_W: g.strideW, PAD_TOP: g.padTop, PAD_LEFT: g.padLeft,
  };
}

/**
 * Checks a conv's tensors against its geometry: kernel [kH, kW, inC, outC], the input side
 * [N, H, W, inC] and the output side [N, outH, outW, outC]. Returns [inC, outC].
 */
export function convChannels(
  op: string,
  g: Geometry2D,
  kernel: GpuTensor,
  input: [string, GpuTensor],
  output: [string, GpuTensor],
): [number, number] {
  const [cin, cout] = kernel.shape.slice(-2);
  checkShape(op, 'kernel', kernel, [g.kH, g.kW, cin, cout]);
  checkShape(op, input[0], input[1], inputShape2D(g, cin));
  checkShape(op, output[0], output[1], outputShape2D(g, cout));
  return [cin, cout];
}

/** y [N, outH, outW, outC] = activate(conv(x [N, H, W, inC], kernel [kH, kW, inC, outC]) + bias [outC]). */
export function prepareConv2d(
  rt: GpuRuntime,
  x: GpuTensor,
  kernel: GpuTensor,
  bias: GpuTensor | null,
  y: GpuTensor,
  g: Geometry2D,
  activation: ElementwiseActivation = 'linear',
): Promise<Dispatch> {
  const [cin, cout] = convChannels('conv2d.forward', g, kernel, ['x', x], ['y', y]);
  if (bias) checkShape('conv2d.forward', 'bias', bias, [cout]);
  const uniforms = conv2dUniforms(g, cin, cout, ACTIVATION_CODES[activation], bias ? 1 : 0);
  const rows = g.batch * g.outH * g.outW;
  const act = { ACT: ACTIVATION_CODES[activation], ...convGeometry(g, cin, cout) };
  if (cout % 8 === 0) {
    const workgroups = rt.grid(Math.ceil(rows / 8) * (cout / 8), WG);
    const block8 = cin % 4 === 0 ? conv2dForward8x8Kernel : conv2dForwardNarrowKernel;
    return rt.prepare(withConstants(block8, act), [x, kernel, bias ?? kernel, y], uniforms, workgroups);
  }
  const workgroups = rt.grid(Math.ceil(rows / CONV_PIX) * Math.ceil(cout / 4), WG);
  const def = cin % 4 === 0 && cout % 4 === 0 ? conv2dForwardVec4Kernel : conv2dForwardKernel;
  return rt.prepare(withConstants(def, act), [x, kernel, bias ?? kernel, y], uniforms, workgroups);
}
