// dx = dy * activation'(y), elementwise, from the activation's output y.
import source from '../../../shaders/activation.grad.wgsl?raw';
import { ACTIVATION_CODES, type ElementwiseActivation } from '../activations';
import type { KernelDef } from '../kernel';
import { u32Uniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 256;

export const activationGradKernel: KernelDef = {
  name: 'activation.grad',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export async function prepareActivationGrad(
  rt: GpuRuntime,
  dy: GpuTensor,
  y: GpuTensor,
  dx: GpuTensor,
  activation: ElementwiseActivation,
): Promise<Dispatch> {
  if (dy.size !== y.size || dy.size !== dx.size) {
    throw new Error(`activation.grad: dy ${shapeString(dy.shape)}, y ${shapeString(y.shape)} and dx ${shapeString(dx.shape)} differ in size`);
  }
  const uniforms = u32Uniforms(dy.size, ACTIVATION_CODES[activation]);
  return rt.prepare(activationGradKernel, [dy, y, dx], uniforms, rt.grid(dy.size, WG));
}
