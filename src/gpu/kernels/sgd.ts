// SGD update in place over a flat parameter buffer (Keras 3 semantics): plain when momentum is 0
// (no slots), else one velocity slot per weight and the momentum kernel.
import plainSource from '../../../shaders/sgd.wgsl?raw';
import momentumSource from '../../../shaders/sgd.momentum.wgsl?raw';
import { sgdSlots, type SgdConfig } from '../../ops/optimizers';
import type { KernelDef } from '../kernel';
import { packUniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { checkUpdateTensors } from './optimizerStep';

const WG = 256;

export const sgdKernel: KernelDef = {
  name: 'sgd',
  source: withCommon(plainSource),
  bindings: ['storage', 'read', 'uniform'],
  constants: { WG },
};

export const sgdMomentumKernel: KernelDef = {
  name: 'sgd.momentum',
  source: withCommon(momentumSource),
  bindings: ['storage', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** `velocity` is null when momentum is 0, else n floats zeroed for a fresh optimizer. */
export function prepareSgd(rt: GpuRuntime, w: GpuTensor, g: GpuTensor, velocity: GpuTensor | null, c: SgdConfig): Promise<Dispatch> {
  checkUpdateTensors('sgd', w, g, velocity, sgdSlots(c));
  const n = w.size;
  if (!velocity) return rt.prepare(sgdKernel, [w, g], sgdUniforms(n, c), rt.grid(n, WG));
  return rt.prepare(sgdMomentumKernel, [w, g, velocity], sgdUniforms(n, c), rt.grid(n, WG));
}

/** Either kernel's uniforms (the plain one reads the first two words). */
export function sgdUniforms(n: number, c: SgdConfig): ArrayBuffer {
  return packUniforms([
    ['u32', n],
    ['f32', c.learningRate],
    ['f32', c.momentum],
    ['u32', c.nesterov ? 1 : 0],
  ]);
}
