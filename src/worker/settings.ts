// Training settings: their defaults, their limits, and one message per wrong value (shown next
// to the control; training cannot start while any is wrong). Shared by the page and the worker.

export type OptimizerChoice = 'adam' | 'sgd' | 'rmsprop' | 'adamw' | 'adagrad' | 'adadelta' | 'adamax' | 'nadam';
export const OPTIMIZER_CHOICES: readonly OptimizerChoice[] = ['adam', 'sgd', 'rmsprop', 'adamw', 'adagrad', 'adadelta', 'adamax', 'nadam'];
/** The engines a run trains on. */
export type EngineKind = 'webgpu' | 'cpu';
/** 'auto' times a few training steps on each engine and trains on the faster one. */
export type EngineChoice = 'auto' | EngineKind;
export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'webgpu', 'cpu'];
/** Losses for Fashion-MNIST's integer labels: on a softmax output, or from the logits of a linear one. */
export type LossChoice = 'sparse_categorical_crossentropy' | 'sparse_categorical_crossentropy_from_logits';
export const LOSS_CHOICES: readonly LossChoice[] = ['sparse_categorical_crossentropy', 'sparse_categorical_crossentropy_from_logits'];

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerChoice;
  validationSplit: number;
  /** How many Fashion-MNIST training images to use (the first ones). */
  trainSize: number;
  /** How many test images to evaluate on after training. */
  testSize: number;
  seed: number;
  engine: EngineChoice;
  loss: LossChoice;
}

export const DEFAULT_SETTINGS: TrainSettings = {
  epochs: 3,
  batchSize: 32,
  learningRate: 0.001,
  optimizer: 'adam',
  validationSplit: 0.1,
  trainSize: 10000,
  testSize: 2000,
  seed: 0,
  engine: 'auto',
  loss: 'sparse_categorical_crossentropy',
};

export const TRAIN_IMAGES = 60000;
export const TEST_IMAGES = 10000;

export type SettingsErrors = Partial<Record<keyof TrainSettings, string>>;

const isInt = (v: number): boolean => Number.isInteger(v);
// Settings arrive from URLs and messages too: a numeric string must not pass by coercion.
const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);

export function validateSettings(s: TrainSettings): SettingsErrors {
  const e: SettingsErrors = {};
  if (!isInt(s.epochs) || s.epochs < 1 || s.epochs > 1000) e.epochs = 'Epochs must be a whole number from 1 to 1000.';
  if (!isInt(s.trainSize) || s.trainSize < 1 || s.trainSize > TRAIN_IMAGES) e.trainSize = `Training images must be a whole number from 1 to ${TRAIN_IMAGES}.`;
  if (!isInt(s.testSize) || s.testSize < 1 || s.testSize > TEST_IMAGES) e.testSize = `Test images must be a whole number from 1 to ${TEST_IMAGES}.`;
  if (!isNumber(s.validationSplit) || !(s.validationSplit >= 0 && s.validationSplit < 1)) e.validationSplit = 'Validation split must be at least 0 and below 1 (e.g. 0.1).';
  const trainCount = s.validationSplit > 0 ? Math.floor(s.trainSize * (1 - s.validationSplit)) : s.trainSize;
  if (!e.validationSplit && !e.trainSize && s.validationSplit > 0 && (trainCount < 1 || trainCount === s.trainSize)) {
    e.validationSplit = `A split of ${s.validationSplit} of ${s.trainSize} images leaves no training or no validation images.`;
  }
  if (!isInt(s.batchSize) || s.batchSize < 1 || s.batchSize > 4096) e.batchSize = 'Batch size must be a whole number from 1 to 4096.';
  else if (!e.trainSize && !e.validationSplit && s.batchSize > trainCount) e.batchSize = `Batch size must be at most the ${trainCount} training images.`;
  if (!isNumber(s.learningRate) || !(s.learningRate > 0 && s.learningRate <= 10)) e.learningRate = 'Learning rate must be above 0 and at most 10 (e.g. 0.001).';
  if (!OPTIMIZER_CHOICES.includes(s.optimizer)) e.optimizer = `Choose one of ${OPTIMIZER_CHOICES.join(', ')}.`;
  if (!isInt(s.seed) || s.seed < 0 || s.seed > 2 ** 31 - 1) e.seed = 'Seed must be a whole number from 0 to 2147483647.';
  if (!ENGINE_CHOICES.includes(s.engine)) e.engine = 'Choose Auto, WebGPU or CPU.';
  if (!LOSS_CHOICES.includes(s.loss)) e.loss = `Choose a loss: ${LOSS_CHOICES.join(' or ')}.`;
  return e;
}
