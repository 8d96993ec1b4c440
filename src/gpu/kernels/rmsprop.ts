// RMSprop update in place over a flat parameter buffer (Keras 3 semantics, with its momentum and
// centered variants). Slots: [v | momentum if momentum > 0 | average gradient if centered].
import source from '../../../shaders/rmsprop.wgsl?raw';
import { rmspropSlots, type RmspropConfig } from '../../ops/optimizers';
import type { KernelDef } from '../kernel';
import { packUniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { checkUpdateTensors } from './optimizerStep';

const WG = 256;

export const rmspropKernel: KernelDef = {
  name: 'rmsprop',
  source: withCommon(source),
  bindings: ['storage', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** slots: rmspropSlots(c) * n floats, zeroed for a fresh optimizer. */
export function prepareRmsprop(rt: GpuRuntime, w: GpuTensor, g: GpuTensor, slots: GpuTensor, c: RmspropConfig): Promise<Dispatch> {
  checkUpdateTensors('rmsprop', w, g, slots, rmspropSlots(c));
  if (c.momentum < 0) throw new Error(`rmsprop: momentum must be >= 0, got ${c.momentum}`);
  return rt.prepare(rmspropKernel, [w, g, slots], rmspropUniforms(w.size, c), rt.grid(w.size, WG));
}

export function rmspropUniforms(n: number, c: RmspropConfig): ArrayBuffer {
  return packUniforms([
    ['u32', n],
    ['f32', c.learningRate],
    ['f32', c.rho],
    ['f32', 1 - c.rho],
    ['f32', c.momentum],
    ['f32', c.epsilon],
    ['u32', c.centered ? 1 : 0],
  ]);
}
