// Max pooling forward (y plus argmax indices for the backward pass), and the uniform packing
// shared by every pooling kernel.
import source from '../../../shaders/maxpool2d.forward.wgsl?raw';
import { pool2dGeometry, type Pool2DParams } from '../../ops/reference/maxPool2d';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { Geometry2D } from '../../ops/shapes';
import type { GpuTensor } from '../tensor';
import { checkShape } from './conv2d';

const WG = 256;

export const maxPool2dForwardKernel: KernelDef = {
  name: 'maxpool2d.forward',
  source: withCommon(source),
  bindings: ['read', 'storage', 'storage', 'uniform'],
  constants: { WG },
};

/** The Params struct every pool2d shader shares. */
export function pool2dUniforms(g: Geometry2D, c: number): ArrayBuffer {
  return u32Uniforms(
    g.batch, g.inH, g.inW, c,
    g.outH, g.outW, g.kH, g.kW,
    g.strideH, g.strideW, g.padTop, g.padLeft,
  );
}

/** Output shape [N, outH, outW, C] of pooling x, for checks and callers. */
export function pool2dOutputShape(g: Geometry2D, c: number): number[] {
  return [g.batch, g.outH, g.outW, c];
}

/** y [N, outH, outW, C] and argmax (uint32, same shape: flat index into x of each winner). */
export function prepareMaxPool2d(rt: GpuRuntime, x: GpuTensor, y: GpuTensor, argmax: GpuTensor, params: Pool2DParams): Promise<Dispatch> {
  const g = pool2dGeometry(x.shape, params);
  const c = x.shape[3];
  checkShape('maxpool2d.forward', 'y', y, pool2dOutputShape(g, c));
  checkShape('maxpool2d.forward', 'argmax', argmax, pool2dOutputShape(g, c));
  if (argmax.dtype !== 'uint32') throw new Error('maxpool2d.forward: argmax must be a uint32 tensor');
  return rt.prepare(maxPool2dForwardKernel, [x, y, argmax], pool2dUniforms(g, c), rt.grid(y.size, WG));
}
