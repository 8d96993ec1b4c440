// Optimizer hyperparameters (Keras 3 names and defaults) and the per-weight slot counts: what the
// reference updates (ops/reference/optimizers*.ts), the GPU kernels and the engines all agree on.
// Slot k of weight i lives at slots[k * n + i] of a flat buffer over n weights.
import type { ScheduleConfig } from './schedules';

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
  /** AMSGrad: divide by the running maximum of v (a third slot). */
  amsgrad?: boolean;
}
export interface RmspropConfig {
  learningRate: number;
  rho: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
}
export interface AdagradConfig {
  learningRate: number;
  initialAccumulatorValue: number;
  epsilon: number;
}
export interface AdadeltaConfig {
  learningRate: number;
  rho: number;
  epsilon: number;
}
/** Adamax and Nadam share Adam's hyperparameters (without amsgrad). */
export interface AdamaxConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}
export type NadamConfig = AdamaxConfig;

/** Options every Keras 3 optimizer has; 0 turns one off (Keras's None). */
export interface GradientOptions {
  /** Decoupled: w -= w * weightDecay * lr before the update, trainable weights only. */
  weightDecay: number;
  /** Each weight's gradient scaled to at most this L2 norm. */
  clipnorm: number;
  /** Each gradient element clipped to [-clipvalue, clipvalue]. */
  clipvalue: number;
  /** All gradients scaled together to at most this global L2 norm. */
  globalClipnorm: number;
}

export const SGD_DEFAULTS: SgdConfig = { learningRate: 0.01, momentum: 0, nesterov: false };
export const ADAM_DEFAULTS: AdamConfig = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false };
export const RMSPROP_DEFAULTS: RmspropConfig = { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false };
export const ADAGRAD_DEFAULTS: AdagradConfig = { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 };
export const ADADELTA_DEFAULTS: AdadeltaConfig = { learningRate: 0.001, rho: 0.95, epsilon: 1e-7 };
export const ADAMAX_DEFAULTS: AdamaxConfig = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
export const NADAM_DEFAULTS: NadamConfig = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
export const GRADIENT_DEFAULTS: GradientOptions = { weightDecay: 0, clipnorm: 0, clipvalue: 0, globalClipnorm: 0 };
/** AdamW is Adam with a weight decay of 0.004 by default. */
export const ADAMW_WEIGHT_DECAY = 0.004;

/** One optimizer, resolved: its kind, hyperparameters, gradient options and learning-rate schedule. */
export type OptimizerConfig = (
  | ({ kind: 'adam' } & AdamConfig)
  | ({ kind: 'adamw' } & AdamConfig)
  | ({ kind: 'sgd' } & SgdConfig)
  | ({ kind: 'rmsprop' } & RmspropConfig)
  | ({ kind: 'adagrad' } & AdagradConfig)
  | ({ kind: 'adadelta' } & AdadeltaConfig)
  | ({ kind: 'adamax' } & AdamaxConfig)
  | ({ kind: 'nadam' } & NadamConfig)
) &
  Partial<GradientOptions> & {
    /** When set, the learning rate of every step comes from it (learningRate is then its value at step 0). */
    schedule?: ScheduleConfig | null;
  };

export type OptimizerKind = OptimizerConfig['kind'];

/** Slots per weight: SGD [velocity] if momentum; Adam [m, v]; RMSprop [v, momentum?, average?]. */
export function sgdSlots(c: SgdConfig): number {
  return c.momentum !== 0 ? 1 : 0;
}
/** Adam [m, v, v_hat if amsgrad]. */
export function adamSlots(c?: { amsgrad?: boolean }): number {
  return c?.amsgrad ? 3 : 2;
}
export function rmspropSlots(c: RmspropConfig): number {
  return 1 + (c.momentum > 0 ? 1 : 0) + (c.centered ? 1 : 0);
}

/** Per-weight state slots of any optimizer: Adagrad [accumulator]; Adadelta [grad², delta²]; Adamax [m, u]; Nadam [m, v]. */
export function optimizerSlots(c: OptimizerConfig): number {
  switch (c.kind) {
    case 'adam':
    case 'adamw':
      return adamSlots(c);
    case 'sgd':
      return sgdSlots(c);
    case 'rmsprop':
      return rmspropSlots(c);
    case 'adagrad':
      return 1;
    case 'adadelta':
    case 'adamax':
    case 'nadam':
      return 2;
  }
}

/** The value every slot starts at: Adagrad's initialAccumulatorValue, else 0. */
export function optimizerSlotInit(c: OptimizerConfig): number {
  return c.kind === 'adagrad' ? c.initialAccumulatorValue : 0;
}
