// Built-in example models (the seed's models plus a few graph shapes), used
// by `npm run summary`, the UI and the golden tests. Each builds in the
// current name scope, so call resetNameScope() first for Keras's fresh names.

import { layers, model, input, sequential, type Model } from './index.ts';

/** The seed CNN with the Sequential API. */
export function seedCnn(): Model {
  const m = sequential();
  m.add(layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [28, 28, 1] }));
  m.add(layers.maxPooling2d({ poolSize: 2 }));
  m.add(layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', padding: 'same' }));
  m.add(layers.maxPooling2d({ poolSize: 2 }));
  m.add(layers.flatten());
  m.add(layers.dense({ units: 100, activation: 'relu' }));
  m.add(layers.dropout({ rate: 0.4 }));
  m.add(layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

/** The same CNN with the functional API. */
export function seedCnnFunctional(): Model {
  const inputs = input({ shape: [28, 28, 1] });
  let x = layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' }).apply(inputs);
  x = layers.maxPooling2d({ poolSize: 2 }).apply(x);
  x = layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', padding: 'same' }).apply(x);
  x = layers.maxPooling2d({ poolSize: 2 }).apply(x);
  x = layers.flatten().apply(x);
  x = layers.dense({ units: 100, activation: 'relu' }).apply(x);
  x = layers.dropout({ rate: 0.4 }).apply(x);
  const outputs = layers.dense({ units: 10, activation: 'softmax' }).apply(x);
  return model({ inputs, outputs });
}

/** The seed's branched model: Layer_2 feeds both heads. */
export function branched(): Model {
  const inputLayer = input({ shape: [3], name: 'input_layer' });
  const l1 = layers.dense({ units: 10, activation: 'relu', name: 'Layer_1' }).apply(inputLayer);
  const l2 = layers.dense({ units: 10, activation: 'relu', name: 'Layer_2' }).apply(l1);
  const y1 = layers.dense({ units: 1, name: 'y1_output' }).apply(l2);
  const branch = layers.dense({ units: 10, activation: 'relu', name: 'Branched_layer' }).apply(l2);
  const y2 = layers.dense({ units: 1, name: 'y2_output' }).apply(branch);
  return model({ inputs: inputLayer, outputs: [y1, y2] });
}

/** The seed's small Sequential model: 3 inputs, two hidden layers of 4, one output. */
export function smallSequential(): Model {
  const m = sequential();
  m.add(layers.dense({ units: 4, activation: 'relu', inputShape: [3] }));
  m.add(layers.dense({ units: 4, activation: 'relu' }));
  m.add(layers.dense({ units: 1 }));
  return m;
}

/** Two inputs, each through its own Dense, joined by Concatenate. */
export function multiInputConcat(): Model {
  const image = input({ shape: [784], name: 'pixels' });
  const meta = input({ shape: [8], name: 'meta' });
  const a = layers.dense({ units: 64, activation: 'relu' }).apply(image);
  const b = layers.dense({ units: 16, activation: 'relu' }).apply(meta);
  const joined = layers.concatenate().apply([a, b]);
  const outputs = layers.dense({ units: 10, activation: 'softmax' }).apply(joined);
  return model({ inputs: [image, meta], outputs, name: 'two_inputs' });
}

/** A residual block: x + conv(conv(x)), then a classifier. */
export function residual(): Model {
  const inputs = input({ shape: [28, 28, 1] });
  const stem = layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inputs);
  let x = layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(stem);
  x = layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(x);
  x = layers.add().apply([stem, x]);
  x = layers.activation({ activation: 'relu' }).apply(x);
  x = layers.averagePooling2d({ poolSize: 2 }).apply(x);
  x = layers.flatten().apply(x);
  const outputs = layers.dense({ units: 10, activation: 'softmax' }).apply(x);
  return model({ inputs, outputs, name: 'residual' });
}

/** Two inputs and two outputs, with a shared Dense applied to both inputs. */
export function sharedTwoHeads(): Model {
  const left = input({ shape: [16] });
  const right = input({ shape: [16] });
  const shared = layers.dense({ units: 8, activation: 'relu', name: 'shared' });
  const a = shared.apply(left);
  const b = shared.apply(right);
  const merged = layers.concatenate().apply([a, b]);
  const same = layers.dense({ units: 1, activation: 'sigmoid', name: 'same' }).apply(merged);
  const diff = layers.dense({ units: 4, activation: 'softmax', name: 'diff' }).apply(merged);
  return model({ inputs: [left, right], outputs: [same, diff], name: 'siamese' });
}

/**
 * keras.io's "Image classification from scratch" (a small Xception: strided entry conv, residual
 * blocks of separable convolutions with BatchNormalization, GlobalAveragePooling2D), with its
 * widths scaled down for 28x28 Fashion-MNIST: 32 / 64, 128 / 256 instead of 128 / 256, 512, 728 / 1024.
 */
export function smallXception(): Model {
  const inputs = input({ shape: [28, 28, 1], name: 'input_layer' });
  let x = layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(inputs);
  x = layers.batchNormalization().apply(x);
  x = layers.activation({ activation: 'relu' }).apply(x);
  let previous = x;
  for (const size of [64, 128]) {
    x = layers.activation({ activation: 'relu' }).apply(x);
    x = layers.separableConv2d({ filters: size, kernelSize: 3, padding: 'same', useBias: false }).apply(x);
    x = layers.batchNormalization().apply(x);
    x = layers.activation({ activation: 'relu' }).apply(x);
    x = layers.separableConv2d({ filters: size, kernelSize: 3, padding: 'same', useBias: false }).apply(x);
    x = layers.batchNormalization().apply(x);
    x = layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x);
    const residual = layers.conv2d({ filters: size, kernelSize: 1, strides: 2, padding: 'same' }).apply(previous);
    x = layers.add().apply([x, residual]);
    previous = x;
  }
  x = layers.separableConv2d({ filters: 256, kernelSize: 3, padding: 'same', useBias: false }).apply(x);
  x = layers.batchNormalization().apply(x);
  x = layers.activation({ activation: 'relu' }).apply(x);
  x = layers.globalAveragePooling2d().apply(x);
  x = layers.dropout({ rate: 0.25 }).apply(x);
  const outputs = layers.dense({ units: 10, activation: 'softmax' }).apply(x);
  return model({ inputs, outputs, name: 'small_xception' });
}

export interface Example {
  title: string;
  build: () => Model;
}

export const examples: Record<string, Example> = {
  'seed-cnn': { title: 'Ch. 8 CNN (Sequential)', build: seedCnn },
  'seed-cnn-functional': { title: 'Ch. 8 CNN (functional API)', build: seedCnnFunctional },
  branched: { title: 'Branched model: two outputs y1, y2', build: branched },
  'small-sequential': { title: 'Small Sequential: 3 inputs, two hidden layers of 4, one output', build: smallSequential },
  'multi-input-concat': { title: 'Two inputs joined by Concatenate', build: multiInputConcat },
  residual: { title: 'Residual block with Add', build: residual },
  'shared-two-heads': { title: 'Shared layer, two inputs, two outputs', build: sharedTwoHeads },
  'small-xception': { title: 'keras.io small Xception: SeparableConv2D, BatchNormalization, GlobalAveragePooling2D', build: smallXception },
};
