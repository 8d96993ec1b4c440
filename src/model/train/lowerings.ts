// What each layer class computes, as forward ops: one lowering per class turns one call of a layer
// (its config, input and weight values) into instructions through the op builder and returns its
// output. Nothing here is about gradients: those come from the ops (gradRules.ts). A class missing
// from LOWERINGS is a compile error.
import type { ActivationName } from '../../ops/activations';
import type { Window2D } from '../../ops/shapes';
import type { ConfigOf, LayerClassName } from '../configs';
import type { OpBuilder } from './forwardOps';
import type { ValueId } from './program';
import { average, foldMerge, globalPool, noiseLayer, pool1d, shift2d } from './shapeLowerings';
import { CONV_FAMILY_LOWERINGS } from './convLowerings';
import { lowerBatchNormalization, lowerNormalization } from './normalizeLowerings';
import { noKernelsMessage } from '../layers/kernels';

/** One call of a layer, as the executor sees it. */
export interface LayerCall<C> {
  config: C;
  inputs: ValueId[];
  /** Views of the layer's weights, in `layer.weights` order. */
  weights: ValueId[];
  /** The call's output shape, batch included. */
  outShape: number[];
  training: boolean;
  /** The dropout seed for a layer without a seed of its own. */
  seed: number;
}

export type Lowering<K extends LayerClassName> = (g: OpBuilder, call: LayerCall<ConfigOf<K>>) => ValueId;

/** z's role in labels: the logits of a softmax, the input of another activation, or the output itself. */
function preActivationRole(activation: ActivationName): string | undefined {
  return activation === 'linear' ? undefined : activation === 'softmax' ? 'logits' : 'pre-activation';
}

function activated(g: OpBuilder, z: ValueId, activation: ActivationName): ValueId {
  return activation === 'linear' ? z : g.activation(z, activation);
}

const poolWindow = (c: ConfigOf<'MaxPooling2D' | 'AveragePooling2D'>): Window2D => ({ kernel: c.poolSize, strides: c.strides, padding: c.padding });

export const LOWERINGS: { [K in LayerClassName]: Lowering<K> } = {
  InputLayer: (g) => {
    throw new Error(`InputLayer "${g.origin.name}" is not an executable node`);
  },
  Dense: (g, { config, inputs: [x], weights: [w, b] }) =>
    activated(g, g.dense(x, w, config.useBias ? b : null, preActivationRole(config.activation)), config.activation),
  Conv2D: (g, { config, inputs: [x], weights: [w, b] }) => {
    const window = { kernel: config.kernelSize, strides: config.strides, dilation: config.dilationRate, padding: config.padding, groups: config.groups };
    return activated(g, g.conv(x, w, config.useBias ? b : null, window, preActivationRole(config.activation)), config.activation);
  },
  MaxPooling2D: (g, { config, inputs: [x] }) => g.maxPool(x, poolWindow(config)),
  AveragePooling2D: (g, { config, inputs: [x] }) => g.avgPool(x, poolWindow(config)),
  Flatten: (g, { inputs: [x], outShape }) => g.reshape(x, outShape),
  Dropout: (g, { config, inputs: [x], outShape, training, seed }) =>
    !training || config.rate === 0 ? g.reshape(x, outShape) : g.dropout(x, config.rate, config.seed === null ? seed : config.seed >>> 0),
  Activation: (g, { config, inputs: [x] }) => g.activation(x, config.activation),
  Concatenate: (g, { config, inputs }) => g.concat(inputs, config.axis),
  GlobalAveragePooling2D: (g, { inputs: [x], outShape }) => {
    const [, h, w] = g.shapeOf(x); // [N, H, W, C]
    return g.reshape(g.avgPool(x, { kernel: [h, w], strides: [h, w], padding: 'valid' }), outShape);
  },
  Rescaling: (g, { config, inputs: [x] }) => g.scale(x, config.scale, config.offset),
  Add: (g, { inputs }) => {
    let acc = inputs[0];
    for (let i = 1; i < inputs.length; i++) acc = g.add(acc, inputs[i], i === inputs.length - 1 ? undefined : `(partial ${i})`);
    return acc;
  },
  GlobalMaxPooling2D: (g, { inputs: [x], outShape }) => globalPool(g, x, true, outShape),
  GlobalAveragePooling1D: (g, { inputs: [x], outShape }) => globalPool(g, x, false, outShape),
  GlobalMaxPooling1D: (g, { inputs: [x], outShape }) => globalPool(g, x, true, outShape),
  MaxPooling1D: (g, { config, inputs: [x], outShape }) => pool1d(g, x, true, config, outShape),
  AveragePooling1D: (g, { config, inputs: [x], outShape }) => pool1d(g, x, false, config, outShape),
  Reshape: (g, { inputs: [x], outShape }) => g.reshape(x, outShape),
  Permute: (g, { config, inputs: [x] }) => g.transpose(x, [0, ...config.dims]),
  ZeroPadding2D: (g, { config, inputs: [x], outShape }) => shift2d(g, x, config.padding, 1, outShape),
  Cropping2D: (g, { config, inputs: [x], outShape }) => shift2d(g, x, config.cropping, -1, outShape),
  UpSampling2D: (g, { config, inputs: [x] }) => g.upsample2d(x, config.size),
  Subtract: (g, { inputs: [a, b] }) => g.merge(a, b, 'subtract'),
  Multiply: (g, { inputs }) => foldMerge(g, inputs, 'multiply'),
  Average: (g, { inputs }) => average(g, inputs),
  Maximum: (g, { inputs }) => foldMerge(g, inputs, 'maximum'),
  Minimum: (g, { inputs }) => foldMerge(g, inputs, 'minimum'),
  SpatialDropout2D: (g, { config, inputs: [x], outShape, training, seed }) =>
    noiseLayer(g, x, 'spatialDropout', config.rate, training, config.seed === null ? seed : config.seed >>> 0, outShape),
  GaussianNoise: (g, { config, inputs: [x], outShape, training, seed }) =>
    noiseLayer(g, x, 'gaussianNoise', config.stddev, training, config.seed === null ? seed : config.seed >>> 0, outShape),
  GaussianDropout: (g, { config, inputs: [x], outShape, training, seed }) =>
    noiseLayer(g, x, 'gaussianDropout', config.rate, training, config.seed === null ? seed : config.seed >>> 0, outShape),
  ReLU: (g, { config, inputs: [x] }) =>
    g.paramActivate(x, { kind: 'relu', alpha: config.negativeSlope, maxValue: config.maxValue, threshold: config.threshold }),
  LeakyReLU: (g, { config, inputs: [x] }) => g.paramActivate(x, { kind: 'relu', alpha: config.negativeSlope, maxValue: null, threshold: 0 }),
  ELU: (g, { config, inputs: [x] }) => g.paramActivate(x, { kind: 'elu', alpha: config.alpha, maxValue: null, threshold: 0 }),
  // Another axis than the last: moved to the end, normalized, moved back.
  Softmax: (g, { config, inputs: [x] }) => {
    const rank = g.shapeOf(x).length;
    const axis = config.axis < 0 ? config.axis + rank : config.axis;
    if (axis === rank - 1) return g.activation(x, 'softmax');
    const perm = [...Array(rank).keys()].filter((a) => a !== axis).concat(axis);
    return g.transpose(g.activation(g.transpose(x, perm), 'softmax'), perm.map((_, k) => perm.indexOf(k)));
  },
  PReLU: (g, { inputs: [x], weights: [alpha] }) => g.prelu(x, alpha),
  ...CONV_FAMILY_LOWERINGS,
  BatchNormalization: lowerBatchNormalization,
  Normalization: lowerNormalization,
  // Trainer.compile refuses these before lowering (layers/kernels.ts); this says the same if reached.
  SimpleRNN: (g) => notYet(g),
  LSTM: (g) => notYet(g),
  GRU: (g) => notYet(g),
  Bidirectional: (g) => notYet(g),
  TimeDistributed: (g) => notYet(g),
};

function notYet(g: OpBuilder): never {
  throw new Error(noKernelsMessage(g.origin.where));
}

/** A Dropout layer without a seed gets one from the training seed and its place in the model, so runs are reproducible. */
export function dropoutSeed(seed: number, layerIndex: number): number {
  let h = 2166136261;
  for (const v of [seed >>> 0, layerIndex]) h = Math.imul(h ^ v, 16777619);
  return h >>> 0;
}
