// y = activation(x), elementwise (the Activation layer; softmax has its own kernel).
import source from '../../../shaders/activate.wgsl?raw';
import { ACTIVATION_CODES, type ElementwiseActivation } from '../../ops/activations';
import { u32Uniforms, withConstants, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 256;

export const activateKernel: KernelDef = {
  name: 'activate',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

export function prepareActivate(rt: GpuRuntime, x: GpuTensor, y: GpuTensor, kind: ElementwiseActivation): Promise<Dispatch> {
  if (x.size !== y.size) throw new Error(`activate: x has ${x.size} elements, y has ${y.size}`);
  return rt.prepare(withConstants(activateKernel, { ACT: ACTIVATION_CODES[kind] }), [x, y], u32Uniforms(x.size, ACTIVATION_CODES[kind]), rt.grid(x.size, WG));
}
