// Optimizer hyperparameters (Keras 3 names and defaults) and the per-weight slot counts: what the
// reference updates (ops/reference/optimizers.ts), the GPU kernels and the engines all agree on.
// Slot k of weight i lives at slots[k * n + i] of a flat buffer over n weights.

export interface SgdConfig {
  learningRate: number;
  momentum: number;
  nesterov: boolean;
}
export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}
export interface RmspropConfig {
  learningRate: number;
  rho: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
}

export const SGD_DEFAULTS: SgdConfig = { learningRate: 0.01, momentum: 0, nesterov: false };
export const ADAM_DEFAULTS: AdamConfig = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
export const RMSPROP_DEFAULTS: RmspropConfig = { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false };

/** Slots per weight: SGD [velocity] if momentum; Adam [m, v]; RMSprop [v, momentum?, average?]. */
export function sgdSlots(c: SgdConfig): number {
  return c.momentum !== 0 ? 1 : 0;
}
export function adamSlots(): number {
  return 2;
}
export function rmspropSlots(c: RmspropConfig): number {
  return 1 + (c.momentum > 0 ? 1 : 0) + (c.centered ? 1 : 0);
}
