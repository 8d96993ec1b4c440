// The page's built-in models as specs: the model API's examples (each built in a fresh name
// scope, so names read like a new Keras session) plus a two-headed CNN that trains on
// Fashion-MNIST with two outputs. Also: can a model train on Fashion-MNIST?

import { resetNameScope, type Model } from '../model/index.ts';
import { examples as apiExamples } from '../model/examples.ts';
import { specFromModel, specLayer, type ModelSpec } from './modelSpec.ts';

const TWO_HEADS: ModelSpec = {
  api: 'functional',
  name: 'two_heads',
  layers: [
    specLayer('InputLayer', 'image', null, { batchInputShape: [null, 28, 28, 1] }),
    specLayer('Conv2D', 'conv2d', ['image'], { filters: 16, kernelSize: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' }),
    specLayer('MaxPooling2D', 'max_pooling2d', ['conv2d'], { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }),
    specLayer('Flatten', 'flatten', ['max_pooling2d']),
    specLayer('Dense', 'head_a', ['flatten'], { units: 10, activation: 'softmax' }),
    specLayer('Dense', 'hidden', ['flatten'], { units: 32, activation: 'relu' }),
    specLayer('Dense', 'head_b', ['hidden'], { units: 10, activation: 'softmax' }),
  ],
  outputs: ['head_a', 'head_b'],
};

export const EXAMPLE_KEYS = ['seed-cnn', 'seed-cnn-functional', 'branched', 'small-sequential', 'multi-input-concat', 'residual', 'two-heads', 'small-xception'] as const;
export type ExampleKey = (typeof EXAMPLE_KEYS)[number];

export const EXAMPLE_TITLES: Record<ExampleKey, string> = {
  'seed-cnn': apiExamples['seed-cnn']!.title,
  'seed-cnn-functional': apiExamples['seed-cnn-functional']!.title,
  branched: apiExamples.branched!.title,
  'small-sequential': apiExamples['small-sequential']!.title,
  'multi-input-concat': apiExamples['multi-input-concat']!.title,
  residual: apiExamples.residual!.title,
  'two-heads': 'CNN with two classifier heads (two outputs)',
  'small-xception': apiExamples['small-xception']!.title,
};

export function isExampleKey(v: unknown): v is ExampleKey {
  return typeof v === 'string' && (EXAMPLE_KEYS as readonly string[]).includes(v);
}

/** The spec of a built-in example, built in a fresh name scope. */
export function exampleSpec(key: ExampleKey): ModelSpec {
  if (key === 'two-heads') return structuredClone(TWO_HEADS);
  resetNameScope();
  return specFromModel(apiExamples[key]!.build());
}

export const FASHION_SHAPES = ['28,28,1', '784', '28,28'];

/** Why a model cannot train on Fashion-MNIST, or null when it can (one image input, 10-class outputs). */
export function fashionMnistMismatch(m: Model): string | null {
  const ins = m.inputs;
  if (ins.length !== 1) return `Training uses Fashion-MNIST, which needs one image input; this model has ${ins.length} inputs.`;
  const shape = ins[0]!.shape.slice(1).join(',');
  if (!FASHION_SHAPES.includes(shape)) return `Training uses Fashion-MNIST: the input must have shape (28, 28, 1), (28, 28) or (784,), not (${shape}).`;
  for (const t of m.outputs) {
    const out = t.shape.slice(1).join(',');
    if (out !== '10') return `Training uses Fashion-MNIST's 10 classes: output "${t.layer.name}" must have shape (None, 10), not (None, ${out}).`;
  }
  return null;
}
