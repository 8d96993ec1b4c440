// Nadam update in place over a flat parameter buffer (Keras 3 semantics, shaders/nadam.wgsl).
// Slots: [m | v]; u_product, beta2^t and 0.96^t come from the optimizer.step state in its nadam mode.
// Its uniforms carry the step's learning rate, rewritten when a schedule changes it.
import source from '../../../shaders/nadam.wgsl?raw';
import type { NadamConfig } from '../../ops/optimizers';
import type { KernelDef } from '../kernel';
import { packUniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { checkUpdateTensors, checkState } from './optimizerStep';

const WG = 256;

export const nadamKernel: KernelDef = {
  name: 'nadam',
  source: withCommon(source),
  bindings: ['storage', 'read', 'storage', 'read', 'uniform'],
  constants: { WG },
};

export function nadamUniforms(n: number, c: NadamConfig): ArrayBuffer {
  return packUniforms([
    ['u32', n],
    ['f32', c.learningRate],
    ['f32', c.beta1],
    ['f32', 1 - c.beta1],
    ['f32', 1 - c.beta2],
    ['f32', c.epsilon],
  ]);
}

/** slots: 2 * n floats, zeroed for a fresh optimizer; state: the optimizer.step state (nadam mode). */
export function prepareNadam(rt: GpuRuntime, w: GpuTensor, g: GpuTensor, slots: GpuTensor, state: GpuTensor, c: NadamConfig): Promise<Dispatch> {
  checkUpdateTensors('nadam', w, g, slots, 2);
  checkState('nadam', state);
  return rt.prepare(nadamKernel, [w, g, slots, state], nadamUniforms(w.size, c), rt.grid(w.size, WG));
}
