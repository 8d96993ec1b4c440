// Keras's ReLU/LeakyReLU and ELU layers' activations, forward and backward (from the input):
// shaders/param_activation.forward.wgsl and .backward.wgsl, one uniform layout for both.
import forwardSource from '../../../shaders/param_activation.forward.wgsl?raw';
import backwardSource from '../../../shaders/param_activation.backward.wgsl?raw';
import type { ParamActivation } from '../../ops/reference/paramActivation';
import { packUniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 256;

export const paramActivationKernel: KernelDef = {
  name: 'param_activation.forward',
  source: withCommon(forwardSource),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

export const paramActivationGradKernel: KernelDef = {
  name: 'param_activation.backward',
  source: withCommon(backwardSource),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

function uniforms(n: number, p: ParamActivation): ArrayBuffer {
  return packUniforms([
    ['u32', n],
    ['u32', p.kind === 'elu' ? 1 : 0],
    ['u32', p.maxValue === null ? 0 : 1],
    ['f32', p.alpha],
    ['f32', p.maxValue ?? 0],
    ['f32', p.threshold],
  ]);
}

export function prepareParamActivation(rt: GpuRuntime, x: GpuTensor, y: GpuTensor, p: ParamActivation): Promise<Dispatch> {
  if (x.size !== y.size) throw new Error(`param_activation: x has ${x.size} elements, y has ${y.size}`);
  return rt.prepare(paramActivationKernel, [x, y], uniforms(x.size, p), rt.grid(x.size, WG));
}

export function prepareParamActivationGrad(rt: GpuRuntime, dy: GpuTensor, x: GpuTensor, dx: GpuTensor, p: ParamActivation): Promise<Dispatch> {
  if (dy.size !== x.size || dx.size !== x.size) throw new Error(`param_activation.backward: dy ${dy.size}, x ${x.size} and dx ${dx.size} elements differ`);
  return rt.prepare(paramActivationGradKernel, [dy, x, dx], uniforms(x.size, p), rt.grid(x.size, WG));
}
