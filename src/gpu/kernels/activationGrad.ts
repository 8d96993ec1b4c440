// dx = dy * activation'(y), elementwise, from the activation's output y.
import source from '../../../shaders/activation.grad.wgsl?raw';
import vec4Source from '../../../shaders/activation.grad_vec4.wgsl?raw';
import { ACTIVATION_CODES, type ElementwiseActivation } from '../../ops/activations';
import type { KernelDef } from '../kernel';
import { u32Uniforms, withConstants } from '../kernel';
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

/** Same bindings and uniforms, for sizes that are a multiple of 4: four elements per invocation. */
export const activationGradVec4Kernel: KernelDef = { ...activationGradKernel, name: 'activation.grad_vec4', source: withCommon(vec4Source) };

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
  const act = { ACT: ACTIVATION_CODES[activation] };
  if (dy.size % 4 === 0) return rt.prepare(withConstants(activationGradVec4Kernel, act), [dy, y, dx], uniforms, rt.grid(dy.size / 4, WG));
  return rt.prepare(withConstants(activationGradKernel, act), [dy, y, dx], uniforms, rt.grid(dy.size, WG));
}
