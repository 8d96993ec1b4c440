// One layer's config in Keras's JSON spelling (tf.keras 2.6 get_config:
// snake_case keys in Keras's order) and back to our layer factories. Reading
// accepts only what the playground can run and says so when a config asks
// for more (regularizers, dilation, channels_first, ...).

import { ACTIVATIONS } from '../ops/activations.ts';
import type { InitializerName } from './initializers.ts';
import type { Layer } from './layer.ts';
import type { LayerConfig } from './configs.ts';
import * as layers from './layers/index.ts';
import { fail, describe } from './validate.ts';
import type { Shape } from '../ops/shapes.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const INITIALIZER_CLASSES: Record<InitializerName, string> = {
  glorotUniform: 'GlorotUniform',
  heUniform: 'HeUniform',
  lecunUniform: 'LecunUniform',
  zeros: 'Zeros',
  ones: 'Ones',
};

function initializerJson(name: InitializerName): JsonObject {
  const seeded = name !== 'zeros' && name !== 'ones';
  return { class_name: INITIALIZER_CLASSES[name], config: seeded ? { seed: null } : {} };
}

const NO_EXTRAS = {
  kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null,
  kernel_constraint: null, bias_constraint: null,
};

/** Keras's get_config() for our layer. */
export function layerToKeras(config: LayerConfig): JsonObject {
  if (config.className === 'InputLayer') {
    return { batch_input_shape: config.batchInputShape, dtype: 'float32', sparse: false, ragged: false, name: config.name };
  }
  const base: JsonObject = { name: config.name, trainable: config.trainable };
  if (config.batchInputShape) base.batch_input_shape = config.batchInputShape;
  base.dtype = 'float32';
  switch (config.className) {
    case 'Dense':
      return {
        ...base, units: config.units, activation: config.activation, use_bias: config.useBias,
        kernel_initializer: initializerJson(config.kernelInitializer), bias_initializer: initializerJson(config.biasInitializer), ...NO_EXTRAS,
      };
    case 'Conv2D':
      return {
        ...base, filters: config.filters, kernel_size: config.kernelSize, strides: config.strides, padding: config.padding,
        data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: config.activation, use_bias: config.useBias,
        kernel_initializer: initializerJson(config.kernelInitializer), bias_initializer: initializerJson(config.biasInitializer), ...NO_EXTRAS,
      };
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return { ...base, pool_size: config.poolSize, padding: config.padding, strides: config.strides, data_format: 'channels_last' };
    case 'Flatten':
      return { ...base, data_format: 'channels_last' };
    case 'Dropout':
      return { ...base, rate: config.rate, noise_shape: null, seed: config.seed };
    case 'Activation':
      return { ...base, activation: config.activation };
    case 'Concatenate':
      return { ...base, axis: config.axis };
    case 'Add':
      return base;
  }
}

/** Reads a Keras layer config; `where` names the layer for errors. */
class Reader {
  constructor(readonly where: string, readonly config: JsonObject) {}

  has(key: string): boolean {
    return Object.hasOwn(this.config, key);
  }

  get(key: string): Json | undefined {
    return this.has(key) ? this.config[key] : undefined;
  }

  /** Options we do not run must keep their Keras default. */
  expectDefault(key: string, accepted: Json[]): void {
    const value = this.get(key);
    if (value === undefined) return;
    if (!accepted.some((a) => JSON.stringify(a) === JSON.stringify(value))) {
      fail(this.where, `${key} = ${describe(value)} is not supported; only ${accepted.map((a) => JSON.stringify(a)).join(' or ')}.`);
    }
  }

  activation(): string {
    const value = this.get('activation') ?? 'linear';
    if (typeof value !== 'string' || !(ACTIVATIONS as readonly string[]).includes(value)) {
      fail(this.where, `activation ${describe(value)} is not supported; use one of ${ACTIVATIONS.join(', ')}.`);
    }
    return value;
  }

  initializer(key: string, fallback: InitializerName): InitializerName {
    const value = this.get(key);
    if (value === undefined || value === null) return fallback;
    const className = typeof value === 'string' ? value : typeof value === 'object' && !Array.isArray(value) ? value.class_name : undefined;
    const wanted = typeof className === 'string' ? className.replace(/_/g, '').toLowerCase() : '';
    for (const [name, cls] of Object.entries(INITIALIZER_CLASSES)) {
      if (cls.toLowerCase() === wanted) return name as InitializerName;
    }
    return fail(this.where, `${key} ${describe(className ?? value)} is not supported; use one of ${Object.values(INITIALIZER_CLASSES).join(', ')}.`);
  }

  /** batch_input_shape (TF 2) or batch_shape (Keras 3), as a feature shape. */
  inputShape(): (number | null)[] | undefined {
    const value = this.get('batch_input_shape') ?? this.get('batch_shape');
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.length < 1) fail(this.where, `batch_input_shape must be a list like [null, 28, 28, 1], got ${describe(value)}.`);
    return value.slice(1) as (number | null)[];
  }

  checkCommon(): void {
    this.expectDefault('dtype', ['float32', null]);
    this.expectDefault('data_format', ['channels_last', null]);
    for (const key of Object.keys(NO_EXTRAS)) this.expectDefault(key, [null]);
  }
}

/** Our layer for a Keras layer entry {class_name, config}. The factories validate values. */
export function layerFromKeras(className: string, config: JsonObject): Layer {
  const name = Object.hasOwn(config, 'name') ? config.name : undefined;
  const where = `${className} "${typeof name === 'string' ? name : '?'}"`;
  if (typeof name !== 'string') fail(where, `config.name must be a string, got ${describe(name)}.`);
  const r = new Reader(where, config);
  r.checkCommon();
  const base = { name, trainable: (r.get('trainable') ?? true) as boolean, ...(r.inputShape() ? { inputShape: r.inputShape()! } : {}) };
  const any = (v: Json | undefined): never => v as never; // values are checked by the factories
  switch (className) {
    case 'Dense':
      return layers.dense({
        ...base, units: any(r.get('units')), activation: any(r.activation()), useBias: any(r.get('use_bias') ?? true),
        kernelInitializer: r.initializer('kernel_initializer', 'glorotUniform'), biasInitializer: r.initializer('bias_initializer', 'zeros'),
      });
    case 'Conv2D':
      r.expectDefault('dilation_rate', [[1, 1], 1]);
      r.expectDefault('groups', [1]);
      return layers.conv2d({
        ...base, filters: any(r.get('filters')), kernelSize: any(r.get('kernel_size')), strides: any(r.get('strides') ?? 1),
        padding: any(r.get('padding') ?? 'valid'), activation: any(r.activation()), useBias: any(r.get('use_bias') ?? true),
        kernelInitializer: r.initializer('kernel_initializer', 'glorotUniform'), biasInitializer: r.initializer('bias_initializer', 'zeros'),
      });
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const args = { ...base, poolSize: any(r.get('pool_size') ?? 2), strides: any(r.get('strides') ?? undefined), padding: any(r.get('padding') ?? 'valid') };
      return className === 'MaxPooling2D' ? layers.maxPooling2d(args) : layers.averagePooling2d(args);
    }
    case 'Flatten':
      return layers.flatten(base);
    case 'Dropout':
      r.expectDefault('noise_shape', [null]);
      return layers.dropout({ ...base, rate: any(r.get('rate')), ...(typeof r.get('seed') === 'number' ? { seed: r.get('seed') as number } : {}) });
    case 'Activation':
      return layers.activation({ ...base, activation: any(r.activation()) });
    case 'Concatenate':
      return layers.concatenate({ ...base, axis: any(r.get('axis') ?? -1) });
    case 'Add':
      return layers.add(base);
  }
  return fail(where, `unknown layer class ${describe(className)}. Supported: InputLayer, Dense, Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout, Activation, Concatenate, Add.`);
}

/** An InputLayer entry's batch shape and name. */
export function inputFromKeras(config: JsonObject): { name: string; batchShape: Shape } {
  const r = new Reader(`InputLayer "${String(config.name ?? '?')}"`, config);
  r.expectDefault('sparse', [false]);
  r.expectDefault('ragged', [false]);
  r.expectDefault('dtype', ['float32']);
  const name = r.get('name');
  if (typeof name !== 'string') fail(r.where, `config.name must be a string.`);
  const shape = r.inputShape();
  if (!shape) fail(r.where, `needs batch_input_shape (or batch_shape), e.g. [null, 28, 28, 1].`);
  const batch = (r.get('batch_input_shape') ?? r.get('batch_shape')) as Json[];
  return { name, batchShape: [batch[0] === null ? null : (batch[0] as number), ...shape] };
}
