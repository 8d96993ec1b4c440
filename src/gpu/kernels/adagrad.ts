// Adagrad update in place over a flat parameter buffer (Keras 3 semantics, shaders/adagrad.wgsl).
// Slots: [accumulator].
// Its uniforms carry the step's learning rate, rewritten when a schedule changes it.
import source from '../../../shaders/adagrad.wgsl?raw';
import type { AdagradConfig } from '../../ops/optimizers';
import type { KernelDef } from '../kernel';
import { packUniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { checkUpdateTensors } from './optimizerStep';

const WG = 256;

export const adagradKernel: KernelDef = {
  name: 'adagrad',
  source: withCommon(source),
  bindings: ['storage', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export function adagradUniforms(n: number, c: AdagradConfig): ArrayBuffer {
  return packUniforms([
    ['u32', n],
    ['f32', c.learningRate],
    ['f32', c.epsilon],
  ]);
}

/** slots: 1 * n floats, filled with initialAccumulatorValue for a fresh optimizer. */
export function prepareAdagrad(rt: GpuRuntime, w: GpuTensor, g: GpuTensor, slots: GpuTensor, c: AdagradConfig): Promise<Dispatch> {
  checkUpdateTensors('adagrad', w, g, slots, 1);
  return rt.prepare(adagradKernel, [w, g, slots], adagradUniforms(w.size, c), rt.grid(w.size, WG));
}
