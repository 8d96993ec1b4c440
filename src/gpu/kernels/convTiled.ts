// Conv2D forward and input gradient for real GPUs: implicit GEMMs with 64x64 output tiles staged
// through workgroup memory (see the shaders' headers). Same tensors, geometry and uniforms as
// prepareConv2d / prepareConv2dGradInput, any channel counts, strides and padding; which of these
// and the register-blocked kernels is faster depends on the adapter (on SwiftShader the others).
import forwardSource from '../../../shaders/conv2d.forward_tiled.wgsl?raw';
import forward8x8Source from '../../../shaders/conv2d.forward_tiled_8x8.wgsl?raw';
import gradInputSource from '../../../shaders/conv2d.grad_input_tiled.wgsl?raw';
import gradInput8x8Source from '../../../shaders/conv2d.grad_input_tiled_8x8.wgsl?raw';
import { ACTIVATION_CODES, type ElementwiseActivation } from '../../ops/activations';
import type { Geometry2D } from '../../ops/shapes';
import { withConstants, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withConvGeometry } from '../shaders';
import { checkShape, type GpuTensor } from '../tensor';
import { conv2dUniforms, convChannels, convGeometry } from './conv2d';

/** Output tile of one workgroup, both ways (pixels x channels). */
export const CONV_TILE = 64;

export const conv2dForwardTiledKernel: KernelDef = {
  name: 'conv2d.forward_tiled',
  source: withConvGeometry(forwardSource),
  bindings: ['read', 'read', 'read', 'storage', 'uniform'],
};

/** Same bindings, uniforms and tiles; 8x8 invocations of 8 pixels x 8 channels each. */
export const conv2dForwardTiled8x8Kernel: KernelDef = { ...conv2dForwardTiledKernel, name: 'conv2d.forward_tiled_8x8', source: withConvGeometry(forward8x8Source) };

export const conv2dGradInputTiledKernel: KernelDef = {
  name: 'conv2d.grad_input_tiled',
  source: withConvGeometry(gradInputSource),
  bindings: ['read', 'read', 'storage', 'uniform'],
};

/** Same bindings, uniforms and tiles; 8x8 invocations of 8 pixels x 8 input channels each. */
export const conv2dGradInputTiled8x8Kernel: KernelDef = { ...conv2dGradInputTiledKernel, name: 'conv2d.grad_input_tiled_8x8', source: withConvGeometry(gradInput8x8Source) };

/** Work per invocation: 4x4 outputs (16x16 invocations per tile) or 8x8 (8x8 invocations). */
export type TiledBlock = '4x4' | '8x8';

/** Workgroups for a [rows, cols] output in CONV_TILE tiles: x along cols, y along rows. */
function tiles(rows: number, cols: number): [number, number, number] {
  return [Math.ceil(cols / CONV_TILE), Math.ceil(rows / CONV_TILE), 1];
}

/** As prepareConv2d: y [N, outH, outW, outC] = activate(conv(x, kernel) + bias). */
export async function prepareConv2dTiled(
  rt: GpuRuntime,
  x: GpuTensor,
  kernel: GpuTensor,
  bias: GpuTensor | null,
  y: GpuTensor,
  g: Geometry2D,
  activation: ElementwiseActivation = 'linear',
  block: TiledBlock = '4x4',
): Promise<Dispatch[]> {
  const [cin, cout] = convChannels('conv2d.forward_tiled', g, kernel, ['x', x], ['y', y]);
  if (bias) checkShape('conv2d.forward_tiled', 'bias', bias, [cout]);
  const uniforms = conv2dUniforms(g, cin, cout, ACTIVATION_CODES[activation], bias ? 1 : 0);
  const workgroups = tiles(g.batch * g.outH * g.outW, cout);
  const def = block === '8x8' ? conv2dForwardTiled8x8Kernel : conv2dForwardTiledKernel;
  const constants = { ACT: ACTIVATION_CODES[activation], ...convGeometry(g, cin, cout) };
  return [await rt.prepare(withConstants(def, constants), [x, kernel, bias ?? kernel, y], uniforms, workgroups)];
}

/** As prepareConv2dGradInput: dx [N, H, W, inC] from dy (pre-activation) and the kernel. */
export async function prepareConv2dGradInputTiled(
  rt: GpuRuntime,
  dy: GpuTensor,
  kernel: GpuTensor,
  dx: GpuTensor,
  g: Geometry2D,
  block: TiledBlock = '4x4',
): Promise<Dispatch[]> {
  const [cin, cout] = convChannels('conv2d.grad_input_tiled', g, kernel, ['dx', dx], ['dy', dy]);
  const workgroups = tiles(g.batch * g.inH * g.inW, cin);
  const def = block === '8x8' ? conv2dGradInputTiled8x8Kernel : conv2dGradInputTiledKernel;
  return [await rt.prepare(withConstants(def, convGeometry(g, cin, cout)), [dy, kernel, dx], conv2dUniforms(g, cin, cout), workgroups)];
}
