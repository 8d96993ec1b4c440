// Adamax update in place over a flat parameter buffer (Keras 3 semantics, shaders/adamax.wgsl).
// Slots: [m | u]; beta1^t comes from the optimizer.step state.
// Its uniforms carry the step's learning rate, rewritten when a schedule changes it.
import source from '../../../shaders/adamax.wgsl?raw';
import type { AdamaxConfig } from '../../ops/optimizers';
import type { KernelDef } from '../kernel';
import { packUniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { checkUpdateTensors, checkState } from './optimizerStep';

const WG = 256;

export const adamaxKernel: KernelDef = {
  name: 'adamax',
  source: withCommon(source),
  bindings: ['storage', 'read', 'storage', 'read', 'uniform'],
  constants: { WG },
};

export function adamaxUniforms(n: number, c: AdamaxConfig): ArrayBuffer {
  return packUniforms([
    ['u32', n],
    ['f32', c.learningRate],
    ['f32', 1 - c.beta1],
    ['f32', c.beta2],
    ['f32', c.epsilon],
  ]);
}

/** slots: 2 * n floats, zeroed for a fresh optimizer; state: the optimizer.step state. */
export function prepareAdamax(rt: GpuRuntime, w: GpuTensor, g: GpuTensor, slots: GpuTensor, state: GpuTensor, c: AdamaxConfig): Promise<Dispatch> {
  checkUpdateTensors('adamax', w, g, slots, 2);
  checkState('adamax', state);
  return rt.prepare(adamaxKernel, [w, g, slots, state], adamaxUniforms(w.size, c), rt.grid(w.size, WG));
}
