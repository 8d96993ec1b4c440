// Max pooling forward (y plus argmax indices for the backward pass), and what every pooling
// kernel shares: the uniform packing and the check of its tensors against the geometry.
import source from '../../../shaders/maxpool2d.forward.wgsl?raw';
import { inputShape2D, outputShape2D, type Geometry2D } from '../../ops/shapes';
import { u32Uniforms, withConstants, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { checkShape, type GpuTensor } from '../tensor';

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

/**
 * Checks a pooling kernel's tensors against its geometry: the input side [N, H, W, C], each
 * output-side tensor [N, outH, outW, C]. Returns C.
 */
export function poolChannels(op: string, g: Geometry2D, input: [string, GpuTensor], ...outputs: [string, GpuTensor][]): number {
  const c = input[1].shape[input[1].shape.length - 1];
  checkShape(op, input[0], input[1], inputShape2D(g, c));
  for (const [what, t] of outputs) checkShape(op, what, t, outputShape2D(g, c));
  return c;
}

/**
 * y [N, outH, outW, C] and argmax (uint32, same shape: flat index into x of each winner). With
 * writeArgmax false (inference) argmax is not written: any uint32 tensor, one element will do.
 */
export function prepareMaxPool2d(rt: GpuRuntime, x: GpuTensor, y: GpuTensor, argmax: GpuTensor, g: Geometry2D, writeArgmax = true): Promise<Dispatch> {
  const c = poolChannels('maxpool2d.forward', g, ['x', x], ['y', y], ...(writeArgmax ? [['argmax', argmax] as [string, GpuTensor]] : []));
  if (argmax.dtype !== 'uint32') throw new Error('maxpool2d.forward: argmax must be a uint32 tensor');
  const kernel = withConstants(maxPool2dForwardKernel, { WRITE_ARGMAX: Number(writeArgmax) });
  return rt.prepare(kernel, [x, y, argmax], pool2dUniforms(g, c), rt.grid(y.size, WG));
}
