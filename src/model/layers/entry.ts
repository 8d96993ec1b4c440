// What the layer registry knows about one layer class (a LayerEntry), and the one description of
// its options that the Keras JSON reader and writer, the Python export, the TypeScript view and
// the page's editor all read. Each layer file declares its entry next to its class.

import type { Json } from '../kerasConfig.ts';
import { checkArgs } from '../layer.ts';
import type { Layer } from '../layer.ts';
import { describe, fail } from '../validate.ts';
import type { ConfigOf, LayerClassName } from './registry.ts';

/** How an option's value is typed, edited and written. */
export type OptionType =
  /** A positive integer (units, filters). */
  | 'int'
  /** A number (a dropout rate). */
  | 'number'
  /** An integer axis; negative counts from the last. */
  | 'axis'
  /** [height, width] of positive integers; the editor edits it as a square. */
  | 'pair'
  /** One of `choices`. */
  | 'select'
  /** One of ACTIVATIONS. */
  | 'activation'
  | 'bool'
  /** One of INITIALIZERS; Keras JSON writes it as {class_name, config}. */
  | 'initializer'
  /** An integer or null (a random seed). */
  | 'seed'
  /** A weight or activity penalty (L1, L2, L1L2) or null; Keras JSON writes it as {class_name, config}. */
  | 'regularizer'
  /** A projection after each update (MaxNorm, NonNeg, UnitNorm, MinMaxNorm) or null. */
  | 'constraint'
  /** InputLayer's [batch, ...features]; the editor edits the features. */
  | 'shape'
  /** A list of integers (Reshape's target shape, Permute's dims, a 1-D pool size); Python writes a tuple. */
  | 'ints'
  /** [[top, bottom], [left, right]] (ZeroPadding2D, Cropping2D); the editor sets every side at once. */
  | 'sides'
  /** A number, a list of numbers (one per channel) or null (Normalization's mean and variance). */
  | 'numbers'
  /** A nested layer's config (a wrapper's `layer`): Keras JSON writes {class_name, config}, Python and TypeScript a layer call. */
  | 'layer';

export type OptionValue = number | string | boolean | null | readonly (number | null)[] | readonly (readonly number[])[];

/** A 'layer' option's value: a nested layer's whole config (className, name, trainable and its options). */
export type NestedLayerConfig = { readonly className: string; readonly name: string; readonly [key: string]: unknown };

/** The options every config has besides its own: described once, in layer.ts. */
type BaseKey = 'className' | 'name' | 'trainable';

export interface OptionSpec<C> {
  /** The config's (and the factory's) camelCase key; Keras's is its snake_case. */
  key: Exclude<keyof C & string, BaseKey>;
  type: OptionType;
  /** Keras's default (Python and TypeScript leave an option at it out), or another option's value. None: required. */
  default?: OptionValue | { sameAs: Exclude<keyof C & string, BaseKey> };
  /** A new layer's value in the editor, where it differs from the default. */
  initial?: OptionValue | NestedLayerConfig;
  /** The accepted values of a 'select'. */
  choices?: readonly string[];
  /** The editor's label; an option without one is not shown in the editor. */
  label?: string;
  /** The editor's step for a number field (default 1). */
  step?: number;
  /** The editor's bounds for a number field; 'int' and 'pair' start at 1 without one. The layer still validates. */
  range?: readonly [min: number, max: number];
  /** Python: a positional argument in Keras's signature, or a keyword written even at its default. */
  python?: 'positional' | 'always';
}

/** An option of any layer, for code that reads every class the same way. */
export type AnyOption = OptionSpec<Record<string, unknown>>;

/** A Keras option we do not run: written at `value`; a file must keep one of `accepted`. */
export interface KerasFixed {
  key: string;
  value: Json;
  accepted: Json[];
}

/** One key of Keras's get_config after the base keys: one of our options, or a fixed one. */
export type KerasItem<C> = OptionSpec<C>['key'] | KerasFixed;

/** An untrusted config: className and name, then any keys (each layer validates its own). */
export type ConfigInput = { readonly [key: string]: unknown };

/** layerFromConfig, handed to a wrapper's fromConfig for its nested 'layer' options. */
export type NestedLayerFactory = (config: ConfigInput) => Layer;

export interface LayerEntry<K extends LayerClassName> {
  /** Keras's from_config: the layer a config describes. Missing options take their defaults; every value is validated. */
  fromConfig: (config: ConfigInput, nested: NestedLayerFactory) => Layer;
  /** Keras's automatic-name base: 'conv2d' names conv2d, conv2d_1, ... */
  nameBase: string;
  /** The factory in the `layers` namespace: layers.maxPooling2d(...). */
  factory: string;
  /** The layer's own options in Keras's signature order. */
  options: readonly OptionSpec<ConfigOf<K>>[];
  /** Keras's get_config keys after name, trainable, batch_input_shape and dtype; default: the options in order. */
  keras?: readonly KerasItem<ConfigOf<K>>[];
  /** What the layer contract test calls the layer on; null for a layer that is never called (InputLayer). */
  sample: LayerSample<ConfigOf<K>> | null;
  /**
   * 'none' while the layer has no kernels: its shapes, weights, summary, JSON and Python export
   * work, but compiling a model holding it fails up front (layers/kernels.ts) and the contract
   * test skips its execution checks.
   */
  kernels?: 'none';
  /** The config Python and TypeScript write, where it differs from getConfig's (Bidirectional leaves out a derived backward layer). */
  codeConfig?: (config: ConfigOf<K>) => ConfigInput;
}

/** A small call of a layer for the contract test (src/model/layers/contract.test.ts, tests/gpu/contract.gpu.ts). */
export interface LayerSample<C> {
  /** Feature shapes (no batch dimension) of the call's inputs: one, or a list for merge layers. */
  inputs: readonly (readonly number[])[];
  /** Options over the editor's new-layer config (small sizes; smooth activations keep finite differences exact). */
  options?: Partial<Omit<C, 'className' | 'name' | 'trainable' | 'batchInputShape'>>;
}

/** The activation option of Dense and Conv2D: linear unless given. */
export const ACTIVATION_OPTION = { key: 'activation', type: 'activation', label: 'activation', default: 'linear' } as const;

/** The bias and initializer options of Dense and Conv2D (not in the editor). */
export const BIAS_OPTIONS = [
  { key: 'useBias', type: 'bool', default: true },
  { key: 'kernelInitializer', type: 'initializer', default: 'glorotUniform' },
  { key: 'biasInitializer', type: 'initializer', default: 'zeros' },
] as const;

export const KERAS_DATA_FORMAT: KerasFixed = { key: 'data_format', value: 'channels_last', accepted: ['channels_last', null] };

/** The regularizer and constraint options of Dense and Conv2D, in Keras's get_config order (not in the editor). */
export const PENALTY_OPTIONS = [
  { key: 'kernelRegularizer', type: 'regularizer', default: null },
  { key: 'biasRegularizer', type: 'regularizer', default: null },
  { key: 'activityRegularizer', type: 'regularizer', default: null },
  { key: 'kernelConstraint', type: 'constraint', default: null },
  { key: 'biasConstraint', type: 'constraint', default: null },
] as const;
export const PENALTY_KEYS = PENALTY_OPTIONS.map((o) => o.key);

/** The same keys for a layer that does not run them yet: Keras JSON must keep them null. */
export const KERAS_REGULARIZERS: readonly KerasFixed[] = [
  'kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint',
].map((key) => ({ key, value: null, accepted: [null] }));

/** A config as its layer's constructor options: without className, batchInputShape read as inputShape. */
export function configArgs(className: string, config: ConfigInput): Record<string, unknown> {
  checkArgs(className, config);
  const { className: _className, batchInputShape, ...args } = config;
  if (batchInputShape === undefined || batchInputShape === null) return args;
  if (!Array.isArray(batchInputShape) || batchInputShape.length < 1) {
    const where = `${className} "${typeof config.name === 'string' ? config.name : '?'}"`;
    fail(where, `batchInputShape must be a list like [null, 28, 28, 1], got ${describe(batchInputShape)}.`);
  }
  return { ...args, inputShape: batchInputShape.slice(1) };
}

/** An option's default for this config (a 'sameAs' default reads the other option); undefined when required. */
export function defaultOf(option: AnyOption, config: ConfigInput): unknown {
  const d = option.default;
  if (d !== null && typeof d === 'object' && !Array.isArray(d)) return config[(d as { sameAs: string }).sameAs];
  return d;
}

/** Whether a config leaves this option at its default (Python and TypeScript then omit it). */
export function isDefault(option: AnyOption, config: ConfigInput): boolean {
  if (option.default === undefined) return false;
  return JSON.stringify(config[option.key]) === JSON.stringify(defaultOf(option, config));
}

/** kernelSize -> kernel_size, glorotUniform -> glorot_uniform. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
