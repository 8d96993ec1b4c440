// The page's training settings as Keras compile() arguments: for the worker's runs, the Auto
// engine's timing runs and the files the page writes.

import type { CompileArgs } from '../model/train/config.ts';
import type { DatasetKind } from './datasets.ts';
import type { TrainSettings } from './settings.ts';

/** The page's training settings as compile() arguments (also written into downloaded files); regression trains on mean squared error. */
export function compileArgs(settings: TrainSettings, data: DatasetKind = 'fashion-mnist'): CompileArgs {
  if (data === 'regression') return { optimizer: { kind: settings.optimizer, learningRate: settings.learningRate }, loss: 'mse' };
  return {
    optimizer: { kind: settings.optimizer, learningRate: settings.learningRate },
    loss: settings.loss === 'sparse_categorical_crossentropy_from_logits' ? { className: 'SparseCategoricalCrossentropy', config: { from_logits: true } } : 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  };
}
