// Conv2D forward fused with a 2x2, stride-2, valid max pool, for inference (see
// shaders/conv2d.forward_pool.wgsl): the conv's output is never stored.
import source from '../../../shaders/conv2d.forward_pool.wgsl?raw';
import { ACTIVATION_CODES, type ElementwiseActivation } from '../../ops/activations';
import type { Geometry2D } from '../../ops/shapes';
import { withConstants, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withConvGeometry } from '../shaders';
import { checkShape, type GpuTensor } from '../tensor';
import { conv2dUniforms, convGeometry } from './conv2d';

const WG = 64;

export const conv2dMaxPoolKernel: KernelDef = {
  name: 'conv2d.forward_pool',
  source: withConvGeometry(source),
  bindings: ['read', 'read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** The pool this kernel fuses: 2x2 windows, stride 2, no padding. */
export function isPool2x2(pool: Geometry2D): boolean {
  return pool.kH === 2 && pool.kW === 2 && pool.strideH === 2 && pool.strideW === 2 && pool.padTop === 0 && pool.padLeft === 0;
}

/** Whether a conv of these channel counts can fuse that pool here: outC % 8 == 0 (8-channel blocks). */
export function canFuseConvPool(cout: number, pool: Geometry2D): boolean {
  return cout % 8 === 0 && isPool2x2(pool);
}

/**
 * y [N, floor(outH / 2), floor(outW / 2), outC] = maxPool2x2(activate(conv(x, kernel) + bias)),
 * for conv geometry g (its outH, outW: the conv's output).
 */
export function prepareConv2dMaxPool(
  rt: GpuRuntime,
  x: GpuTensor,
  kernel: GpuTensor,
  bias: GpuTensor | null,
  y: GpuTensor,
  g: Geometry2D,
  activation: ElementwiseActivation = 'linear',
): Promise<Dispatch> {
  const [cin, cout] = kernel.shape.slice(-2);
  const op = 'conv2d.forward_pool';
  checkShape(op, 'kernel', kernel, [g.kH, g.kW, cin, cout]);
  checkShape(op, 'x', x, [g.batch, g.inH, g.inW, cin]);
  const [ph, pw] = [Math.floor(g.outH / 2), Math.floor(g.outW / 2)];
  checkShape(op, 'y', y, [g.batch, ph, pw, cout]);
  if (bias) checkShape(op, 'bias', bias, [cout]);
  if (cout % 8 !== 0) throw new Error(`${op}: outC ${cout} must be a multiple of 8`);
  const constants = { ACT: ACTIVATION_CODES[activation], ...convGeometry(g, cin, cout) };
  const uniforms = conv2dUniforms(g, cin, cout, ACTIVATION_CODES[activation], bias ? 1 : 0);
  const workgroups = rt.grid(Math.ceil((g.batch * ph * pw) / 2) * (cout / 8), WG);
  return rt.prepare(withConstants(conv2dMaxPoolKernel, constants), [x, kernel, bias ?? kernel, y], uniforms, workgroups);
}
