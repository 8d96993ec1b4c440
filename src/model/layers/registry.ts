// The layer registry: one entry per Keras class name, each declared next to its class. Keras
// JSON, the Python export, the TypeScript view, the page's model spec and its editor read layers
// through this table only. The README's "Adding a layer" lists the files a new layer touches.

import { describe, fail } from '../validate.ts';
import { checkArgs, type Layer } from '../layer.ts';
import { ACTIVATION, DENSE, DROPOUT, FLATTEN, type ActivationConfig, type DenseConfig, type DropoutConfig, type FlattenConfig } from './core.ts';
import { AVERAGE_POOLING2D, CONV2D, MAX_POOLING2D, type Conv2DConfig, type Pooling2DConfig } from './conv.ts';
import { ADD, CONCATENATE, type AddConfig, type ConcatenateConfig } from './merge.ts';
import { INPUT_LAYER, type InputLayerConfig } from './input.ts';
import { GLOBAL_AVERAGE_POOLING2D, type GlobalAveragePooling2DConfig } from './globalPooling.ts';
import { RESCALING, type RescalingConfig } from './rescaling.ts';
import {
  AVERAGE_POOLING1D, GLOBAL_AVERAGE_POOLING1D, GLOBAL_MAX_POOLING1D, GLOBAL_MAX_POOLING2D, MAX_POOLING1D,
  type GlobalMaxPooling2DConfig, type GlobalPooling1DConfig, type Pooling1DConfig,
} from './pooling1d.ts';
import { PERMUTE, RESHAPE, type PermuteConfig, type ReshapeConfig } from './reshape.ts';
import { CROPPING2D, UP_SAMPLING2D, ZERO_PADDING2D, type Cropping2DConfig, type UpSampling2DConfig, type ZeroPadding2DConfig } from './padding2d.ts';
import { AVERAGE, MAXIMUM, MINIMUM, MULTIPLY, SUBTRACT, type ElementwiseMergeConfig } from './mergeElementwise.ts';
import {
  GAUSSIAN_DROPOUT, GAUSSIAN_NOISE, SPATIAL_DROPOUT2D,
  type GaussianDropoutConfig, type GaussianNoiseConfig, type SpatialDropout2DConfig,
} from './noise.ts';
import { P_RE_LU, type PReLUConfig } from './prelu.ts';
import { ELU_ENTRY, LEAKY_RE_LU, RE_LU, SOFTMAX, type ELUConfig, type LeakyReLUConfig, type ReLUConfig, type SoftmaxConfig } from './activationLayers.ts';
import { DEPTHWISE_CONV2D, SEPARABLE_CONV2D, type DepthwiseConv2DConfig, type SeparableConv2DConfig } from './depthwise.ts';
import { CONV2D_TRANSPOSE, type Conv2DTransposeConfig } from './convTranspose.ts';
import { CONV1D, type Conv1DConfig } from './conv1d.ts';
import { EMBEDDING, type EmbeddingConfig } from './embedding.ts';
import { BATCH_NORMALIZATION, type BatchNormalizationConfig } from './batchNorm.ts';
import { NORMALIZATION, type NormalizationConfig } from './normalization.ts';
import { GRU_ENTRY, LSTM_ENTRY, SIMPLE_RNN, type GRUConfig, type LSTMConfig, type SimpleRNNConfig } from './recurrent.ts';
import { BIDIRECTIONAL, TIME_DISTRIBUTED, type BidirectionalConfig, type TimeDistributedConfig } from './wrappers.ts';
import type { AnyOption, ConfigInput, LayerEntry } from './entry.ts';

/** A layer's config: camelCase options plus className, as getConfig() returns it. */
export type LayerConfig =
  | InputLayerConfig
  | DenseConfig
  | Conv2DConfig
  | Pooling2DConfig
  | FlattenConfig
  | DropoutConfig
  | ActivationConfig
  | ConcatenateConfig
  | AddConfig
  | GlobalAveragePooling2DConfig
  | RescalingConfig
  | GlobalMaxPooling2DConfig
  | GlobalPooling1DConfig
  | Pooling1DConfig
  | ReshapeConfig
  | PermuteConfig
  | ZeroPadding2DConfig
  | Cropping2DConfig
  | UpSampling2DConfig
  | ElementwiseMergeConfig
  | SpatialDropout2DConfig
  | GaussianNoiseConfig
  | GaussianDropoutConfig
  | ReLUConfig
  | LeakyReLUConfig
  | ELUConfig
  | SoftmaxConfig
  | PReLUConfig
  | DepthwiseConv2DConfig
  | SeparableConv2DConfig
  | Conv2DTransposeConfig
  | Conv1DConfig
  | EmbeddingConfig
  | BatchNormalizationConfig
  | NormalizationConfig
  | SimpleRNNConfig
  | LSTMConfig
  | GRUConfig
  | BidirectionalConfig
  | TimeDistributedConfig;

export type LayerClassName = LayerConfig['className'];

type Narrow<C, K> = C extends { className: infer N } ? (K extends N ? C & { className: K } : never) : never;

/** The config of one class: ConfigOf<'MaxPooling2D'> is a Pooling2DConfig with that className. */
export type ConfigOf<K extends LayerClassName> = Narrow<LayerConfig, K>;

export const LAYERS: { readonly [K in LayerClassName]: LayerEntry<K> } = {
  InputLayer: INPUT_LAYER,
  Dense: DENSE,
  Conv2D: CONV2D,
  MaxPooling2D: MAX_POOLING2D,
  AveragePooling2D: AVERAGE_POOLING2D,
  Flatten: FLATTEN,
  Dropout: DROPOUT,
  Activation: ACTIVATION,
  Concatenate: CONCATENATE,
  Add: ADD,
  GlobalAveragePooling2D: GLOBAL_AVERAGE_POOLING2D,
  Rescaling: RESCALING,
  GlobalMaxPooling2D: GLOBAL_MAX_POOLING2D,
  GlobalAveragePooling1D: GLOBAL_AVERAGE_POOLING1D,
  GlobalMaxPooling1D: GLOBAL_MAX_POOLING1D,
  MaxPooling1D: MAX_POOLING1D,
  AveragePooling1D: AVERAGE_POOLING1D,
  Reshape: RESHAPE,
  Permute: PERMUTE,
  ZeroPadding2D: ZERO_PADDING2D,
  Cropping2D: CROPPING2D,
  UpSampling2D: UP_SAMPLING2D,
  Subtract: SUBTRACT,
  Multiply: MULTIPLY,
  Average: AVERAGE,
  Maximum: MAXIMUM,
  Minimum: MINIMUM,
  SpatialDropout2D: SPATIAL_DROPOUT2D,
  GaussianNoise: GAUSSIAN_NOISE,
  GaussianDropout: GAUSSIAN_DROPOUT,
  ReLU: RE_LU,
  LeakyReLU: LEAKY_RE_LU,
  ELU: ELU_ENTRY,
  Softmax: SOFTMAX,
  PReLU: P_RE_LU,
  DepthwiseConv2D: DEPTHWISE_CONV2D,
  SeparableConv2D: SEPARABLE_CONV2D,
  Conv2DTranspose: CONV2D_TRANSPOSE,
  Conv1D: CONV1D,
  Embedding: EMBEDDING,
  BatchNormalization: BATCH_NORMALIZATION,
  Normalization: NORMALIZATION,
  SimpleRNN: SIMPLE_RNN,
  LSTM: LSTM_ENTRY,
  GRU: GRU_ENTRY,
  Bidirectional: BIDIRECTIONAL,
  TimeDistributed: TIME_DISTRIBUTED,
};

export const LAYER_CLASS_NAMES = Object.keys(LAYERS) as readonly LayerClassName[];

export function isLayerClassName(value: unknown): value is LayerClassName {
  return typeof value === 'string' && Object.hasOwn(LAYERS, value);
}

/** A config's fields by key, for code that reads every class the same way. */
export function configFields(config: LayerConfig): ConfigInput {
  return config as unknown as ConfigInput;
}

/** The option descriptions of a class, typed for code that reads every class the same way. */
export function layerOptions(className: LayerClassName): readonly AnyOption[] {
  return LAYERS[className].options as unknown as readonly AnyOption[];
}

/**
 * Keras's layer_from_config: the layer a config describes (untrusted: from a file or a link).
 * Missing options take their defaults; the layer validates every value and rejects unknown keys.
 */
export function layerFromConfig(config: object): Layer {
  checkArgs('layerFromConfig', config);
  const c = config as ConfigInput;
  const className = c.className;
  if (!isLayerClassName(className)) {
    const where = `${typeof className === 'string' ? className : 'layer'} "${typeof c.name === 'string' ? c.name : '?'}"`;
    fail(where, `unknown layer class ${describe(className)}. Supported: ${LAYER_CLASS_NAMES.join(', ')}.`);
  }
  return LAYERS[className].fromConfig(c, layerFromConfig);
}

/** A new layer's config: every option at its editor value (`initial`) or default. */
export function defaultConfig<K extends LayerClassName>(className: K, name: string): ConfigOf<K> {
  const config: Record<string, unknown> = { className, name, trainable: true };
  for (const option of layerOptions(className)) {
    const d = option.default;
    const fromOther = d !== null && typeof d === 'object' && !Array.isArray(d);
    const value = option.initial !== undefined ? option.initial : fromOther ? config[(d as { sameAs: string }).sameAs] : d;
    config[option.key] = structuredClone(value);
  }
  return config as unknown as ConfigOf<K>;
}
