// Validated layer configurations in the playground's camelCase spelling.
// An executor or UI switches on `className` and reads these fields; the
// Keras JSON (snake_case) is derived from them in serialize.ts.

import type { ActivationName } from '../ops/activations.ts';
import type { InitializerName } from './initializers.ts';
import type { Padding, Shape } from '../ops/shapes.ts';

interface Base {
  name: string;
  trainable: boolean;
  /** Present when the layer was created with inputShape. */
  batchInputShape?: Shape;
}

export interface InputLayerConfig extends Base {
  className: 'InputLayer';
  batchInputShape: Shape;
}

export interface DenseConfig extends Base {
  className: 'Dense';
  units: number;
  activation: ActivationName;
  useBias: boolean;
  kernelInitializer: InitializerName;
  biasInitializer: InitializerName;
}

export interface Conv2DConfig extends Base {
  className: 'Conv2D';
  filters: number;
  /** [height, width] */
  kernelSize: [number, number];
  /** [height, width] */
  strides: [number, number];
  padding: Padding;
  activation: ActivationName;
  useBias: boolean;
  kernelInitializer: InitializerName;
  biasInitializer: InitializerName;
}

export interface Pooling2DConfig extends Base {
  className: 'MaxPooling2D' | 'AveragePooling2D';
  /** [height, width] */
  poolSize: [number, number];
  /** [height, width]; Keras defaults it to poolSize. */
  strides: [number, number];
  padding: Padding;
}

export interface FlattenConfig extends Base {
  className: 'Flatten';
}

export interface DropoutConfig extends Base {
  className: 'Dropout';
  /** Fraction of inputs dropped while training, in [0, 1). */
  rate: number;
  seed: number | null;
}

export interface ActivationConfig extends Base {
  className: 'Activation';
  activation: ActivationName;
}

export interface ConcatenateConfig extends Base {
  className: 'Concatenate';
  axis: number;
}

export interface AddConfig extends Base {
  className: 'Add';
}

export type LayerConfig =
  | InputLayerConfig
  | DenseConfig
  | Conv2DConfig
  | Pooling2DConfig
  | FlattenConfig
  | DropoutConfig
  | ActivationConfig
  | ConcatenateConfig
  | AddConfig;

export type LayerClassName = LayerConfig['className'];

export const LAYER_CLASS_NAMES: readonly LayerClassName[] = [
  'InputLayer', 'Dense', 'Conv2D', 'MaxPooling2D', 'AveragePooling2D',
  'Flatten', 'Dropout', 'Activation', 'Concatenate', 'Add',
];
