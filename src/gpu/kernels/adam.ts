// Adam update in place over a flat parameter buffer (Keras 3 semantics). Record the
// optimizer.step dispatch (with this config's betas) once per step before every prepareAdam
// dispatch: it advances t and computes alpha for all of them.
import source from '../../../shaders/adam.wgsl?raw';
import { adamSlots, type AdamConfig } from '../../ops/optimizers';
import type { KernelDef } from '../kernel';
import { packUniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { checkUpdateTensors, OPTIMIZER_STATE_WORDS } from './optimizerStep';

const WG = 256;

export const adamKernel: KernelDef = {
  name: 'adam',
  source: withCommon(source),
  bindings: ['storage', 'read', 'storage', 'read', 'uniform'],
  constants: { WG },
};

/** slots: adamSlots(c) * n floats [m | v | v_hat if amsgrad], zeroed for a fresh optimizer. */
export function prepareAdam(rt: GpuRuntime, w: GpuTensor, g: GpuTensor, slots: GpuTensor, state: GpuTensor, c: AdamConfig): Promise<Dispatch> {
  checkUpdateTensors('adam', w, g, slots, adamSlots(c));
  if (state.dtype !== 'uint32' || state.size !== OPTIMIZER_STATE_WORDS) throw new Error('adam: state must be the optimizer.step state tensor');
  const uniforms = packUniforms([
    ['u32', w.size],
    ['f32', 1 - c.beta1],
    ['f32', 1 - c.beta2],
    ['f32', c.epsilon],
    ['u32', c.amsgrad ? 1 : 0],
  ]);
  return rt.prepare(adamKernel, [w, g, slots, state], uniforms, rt.grid(w.size, WG));
}
