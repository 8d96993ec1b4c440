// One whole optimizer step on the CPU, as Keras 3's apply(): gradient clipping, weight decay,
// the step counter, then the update of the optimizer's kind with this step's learning rate.
// The CPU engine and the Keras fixture test both go through here.
import type { OptimizerConfig } from '../optimizers';
import { applyWeightDecay, clipGradients, type Segment } from './gradientClip';
import { adamUpdate, optimizerStep, rmspropUpdate, sgdUpdate, type OptimizerState } from './optimizers';
import { adadeltaUpdate, adagradUpdate, adamaxUpdate, nadamUpdate } from './optimizersExtra';

/**
 * Updates w (and slots, state) in place; g is clipped in place. `lr` is this step's learning rate.
 * `adam` replaces the reference Adam update (the CPU engine passes its WebAssembly kernel).
 */
export function applyOptimizer(w: Float32Array, g: Float32Array, slots: Float32Array, state: OptimizerState, c: OptimizerConfig, lr: number, segments: readonly Segment[], adam = adamUpdate): void {
  clipGradients(g, segments, c);
  applyWeightDecay(w, segments, c.weightDecay ?? 0, lr);
  const k = { ...c, learningRate: lr };
  const betas = 'beta1' in k ? { learningRate: lr, beta1: k.beta1, beta2: k.beta2 } : { learningRate: lr, beta1: 0, beta2: 0 };
  optimizerStep(state, betas, k.kind === 'nadam');
  switch (k.kind) {
    case 'adam':
    case 'adamw':
      return adam(w, g, slots, state, k);
    case 'sgd':
      return sgdUpdate(w, g, slots, k);
    case 'rmsprop':
      return rmspropUpdate(w, g, slots, k);
    case 'adagrad':
      return adagradUpdate(w, g, slots, k);
    case 'adadelta':
      return adadeltaUpdate(w, g, slots, k);
    case 'adamax':
      return adamaxUpdate(w, g, slots, state, k);
    case 'nadam':
      return nadamUpdate(w, g, slots, state, k);
  }
}
