// Adadelta update in place over a flat parameter buffer (Keras 3 semantics, shaders/adadelta.wgsl).
// Slots: [accumulated grad² | accumulated delta²].
// Its uniforms carry the step's learning rate, rewritten when a schedule changes it.
import source from '../../../shaders/adadelta.wgsl?raw';
import type { AdadeltaConfig } from '../../ops/optimizers';
import type { KernelDef } from '../kernel';
import { packUniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { checkUpdateTensors } from './optimizerStep';

const WG = 256;

export const adadeltaKernel: KernelDef = {
  name: 'adadelta',
  source: withCommon(source),
  bindings: ['storage', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export function adadeltaUniforms(n: number, c: AdadeltaConfig): ArrayBuffer {
  return packUniforms([
    ['u32', n],
    ['f32', c.learningRate],
    ['f32', c.rho],
    ['f32', 1 - c.rho],
    ['f32', c.epsilon],
  ]);
}

/** slots: 2 * n floats, zeroed for a fresh optimizer. */
export function prepareAdadelta(rt: GpuRuntime, w: GpuTensor, g: GpuTensor, slots: GpuTensor, c: AdadeltaConfig): Promise<Dispatch> {
  checkUpdateTensors('adadelta', w, g, slots, 2);
  return rt.prepare(adadeltaKernel, [w, g, slots], adadeltaUniforms(w.size, c), rt.grid(w.size, WG));
}
