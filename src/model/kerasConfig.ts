// One layer's config in Keras's JSON spelling (tf.keras 2.6 get_config: snake_case keys in
// Keras's order) and back. Both directions read the layer's registry entry: its options (our
// camelCase keys, whose snake_case is Keras's) and its Keras layout (key order, and the options
// Keras writes that we do not run). Reading accepts only what the playground can run and says
// so when a config asks for more (dilation, channels_first, ...). Other Keras
// versions' spellings (Keras 1, Keras 2.0-2.2, Keras 3, TF.js) are first rewritten into tf.keras
// 2.x's by kerasSpelling, in one table.

import { ACTIVATION_ALIASES, ACTIVATIONS } from '../ops/activations.ts';
import { initializerArg, initializerSpec, type Initializer } from './initializers.ts';
import { constraintArg, regularizerArg, type ConstraintSpec, type RegularizerSpec } from './regularizers.ts';
import type { Layer } from './layer.ts';
import { inputLayer } from './layers/input.ts';
import { LAYERS, configFields, isLayerClassName, layerFromConfig, layerOptions, type LayerClassName, type LayerConfig } from './layers/registry.ts';
import { KERAS_DATA_FORMAT, KERAS_REGULARIZERS, snakeCase, type AnyOption, type KerasFixed } from './layers/entry.ts';
import { fail, describe } from './validate.ts';
import type { Shape } from '../ops/shapes.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** tf.keras 2.x's {class_name, config} of an initializer: every argument, defaults included. */
function initializerJson(init: Initializer): JsonObject {
  const { className, config } = initializerSpec(init);
  return { class_name: className, config: { ...config } };
}

/** A regularizer's or constraint's {class_name, config}, as tf.keras 2.x writes them. */
function specJson(spec: RegularizerSpec | ConstraintSpec): JsonObject {
  return { class_name: spec.className, config: { ...spec.config } as JsonObject };
}

/** Options Keras writes that every layer we read must keep at their defaults. */
const COMMON_FIXED: readonly KerasFixed[] = [
  { key: 'dtype', value: 'float32', accepted: ['float32', null] },
  KERAS_DATA_FORMAT,
  ...KERAS_REGULARIZERS,
  // Keras 3: Dense and EinsumDense quantized (int8, float8) or with LoRA weights.
  { key: 'quantization_config', value: null, accepted: [null] },
  { key: 'lora_rank', value: null, accepted: [null] },
];

/** Keras's get_config keys after the base ones: the entry's layout, or its options in order. */
function kerasLayout(className: LayerClassName): readonly (string | KerasFixed)[] {
  const entry = LAYERS[className];
  return (entry.keras ?? entry.options.map((o) => o.key)) as readonly (string | KerasFixed)[];
}

/** Keras's get_config() for our layer. */
export function layerToKeras(config: LayerConfig): JsonObject {
  if (config.className === 'InputLayer') {
    return { batch_input_shape: config.batchInputShape, dtype: 'float32', sparse: false, ragged: false, name: config.name };
  }
  const out: JsonObject = { name: config.name, trainable: config.trainable };
  if (config.batchInputShape) out.batch_input_shape = config.batchInputShape;
  out.dtype = 'float32';
  const fields = configFields(config);
  const options = layerOptions(config.className);
  for (const item of kerasLayout(config.className)) {
    if (typeof item !== 'string') {
      out[item.key] = item.value;
      continue;
    }
    const value = fields[item] as Json;
    const type = options.find((o) => o.key === item)?.type;
    if (type === 'initializer') out[snakeCase(item)] = initializerJson(value as Initializer);
    else if ((type === 'regularizer' || type === 'constraint') && value !== null) out[snakeCase(item)] = specJson(value as unknown as RegularizerSpec | ConstraintSpec);
    else if (type === 'layer') out[snakeCase(item)] = nestedLayerJson(value);
    else out[snakeCase(item)] = value;
  }
  return out;
}

/** A wrapper's nested layer as Keras writes it: {class_name, config}; null stays null (a derived backward layer). */
function nestedLayerJson(value: Json): Json {
  if (value === null) return null;
  const config = value as unknown as LayerConfig;
  return { class_name: config.className, config: layerToKeras(config) };
}

/** Reads a Keras layer config; `where` names the layer for errors. */
class Reader {
  constructor(readonly where: string, readonly config: JsonObject) {}

  get(key: string): Json | undefined {
    return Object.hasOwn(this.config, key) ? this.config[key] : undefined;
  }

  /** Options we do not run must keep their Keras default. */
  expectDefault(key: string, accepted: Json[]): void {
    const value = this.get(key);
    if (value === undefined) return;
    if (!accepted.some((a) => JSON.stringify(a) === JSON.stringify(value))) {
      fail(this.where, `${key} = ${describe(value)} is not supported; only ${accepted.map((a) => JSON.stringify(a)).join(' or ')}.`);
    }
  }

  activation(key: string): string {
    const read = this.get(key) ?? 'linear';
    // Keras reads 'swish' and writes 'silu'.
    const value = typeof read === 'string' && Object.hasOwn(ACTIVATION_ALIASES, read) ? ACTIVATION_ALIASES[read] : read;
    if (typeof value !== 'string' || !(ACTIVATIONS as readonly string[]).includes(value)) {
      fail(this.where, `activation ${describe(value)} is not supported; use one of ${ACTIVATIONS.join(', ')}.`);
    }
    return value;
  }

  /**
   * An initializer as a name ("he_normal", "HeNormal") or {class_name, config}; undefined for the
   * default. Arguments written as null take Keras's defaults (TF.js 1.x wrote them so; Keras 3
   * writes input_axes/output_axes null).
   */
  initializer(key: string): Initializer | undefined {
    const value = this.get(key);
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) return initializerArg(this.where, key, value, 'zeros');
    const config = isObject(value.config) ? Object.fromEntries(Object.entries(value.config).filter(([, v]) => v !== null)) : value.config;
    return initializerArg(this.where, key, { className: value.class_name, config }, 'zeros');
  }

  /**
   * A regularizer or constraint as a name ("l2", "max_norm"), {class_name, config} (Keras 3 adds
   * module and registered_name) or Keras 1's {name: "L1L2Regularizer", l1, l2} / {name: "MaxNorm", m, axis}.
   */
  penalty(key: string, kind: 'regularizer' | 'constraint'): unknown {
    const value = this.get(key);
    const read = kind === 'regularizer' ? regularizerArg : constraintArg;
    if (value === undefined || value === null || !isObject(value)) return read(this.where, key, value ?? null);
    if (typeof value.name === 'string' && value.class_name === undefined) {
      const { name, m, ...rest } = value;
      const className = name === 'L1L2Regularizer' ? 'L1L2' : name;
      return read(this.where, key, { className, config: m === undefined ? rest : { ...rest, max_value: m } });
    }
    return read(this.where, key, { className: value.class_name, config: value.config });
  }

  /** A wrapper's nested {class_name, config} as our config; undefined for null (Keras derives it, as Bidirectional's backward_layer). */
  nestedLayer(key: string): LayerConfig | undefined {
    const value = this.get(key);
    if (value === undefined || value === null) return undefined;
    if (!isObject(value) || typeof value.class_name !== 'string' || !isObject(value.config)) {
      fail(this.where, `${key} must be a layer as {class_name, config}, got ${describe(value)}.`);
    }
    return layerFromKeras(value.class_name, value.config).getConfig();
  }

  /** batch_input_shape (TF 2) or batch_shape (Keras 3). */
  batchShape(): Json[] | undefined {
    const value = this.get('batch_input_shape') ?? this.get('batch_shape');
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.length < 1) fail(this.where, `batch_input_shape must be a list like [null, 28, 28, 1], got ${describe(value)}.`);
    return value;
  }

  /** One option under its snake_case key; undefined leaves it to the layer's default. */
  option(o: AnyOption): unknown {
    const key = snakeCase(o.key);
    if (o.type === 'activation') return this.activation(key);
    if (o.type === 'initializer') return this.initializer(key);
    if (o.type === 'regularizer' || o.type === 'constraint') return this.penalty(key, o.type);
    if (o.type === 'layer') return this.nestedLayer(key);
    const value = this.get(key);
    if (o.type === 'seed') return typeof value === 'number' ? value : undefined;
    // Keras writes null for "the default" (strides=None); a required option keeps it, to be refused.
    return value === null && o.default !== undefined ? undefined : value;
  }
}

/** An InputLayer entry's batch shape and name. */
function inputFromKeras(config: JsonObject): { name: string; batchShape: Shape } {
  const r = new Reader(`InputLayer "${String(config.name ?? '?')}"`, config);
  r.expectDefault('sparse', [false]);
  r.expectDefault('ragged', [false]);
  r.expectDefault('optional', [false]);
  // Integer inputs (Embedding's ids) arrive as float32 holding integers.
  r.expectDefault('dtype', ['float32', 'int32', 'int64']);
  const name = r.get('name');
  if (typeof name !== 'string') fail(r.where, `config.name must be a string.`);
  const batch = r.batchShape();
  if (!batch) fail(r.where, `needs batch_input_shape (or batch_shape), e.g. [null, 28, 28, 1].`);
  return { name, batchShape: [batch[0] === null ? null : (batch[0] as number), ...(batch.slice(1) as Shape)] };
}

// ---- other versions' spellings ----

/**
 * Keras 1's names where they differ from Keras 2's for the layers we read: classes, option keys
 * (renamed only where the class has no option of the old name), initializer names; and what
 * cannot be read, with what to do instead.
 */
const KERAS1 = {
  classes: { Convolution2D: 'Conv2D' } as Record<string, string>,
  refused: {
    Merge: `is Keras 1's Merge layer, which is not supported: rebuild the model with a Concatenate or Add layer (Keras 2) and save it again.`,
  } as Record<string, string>,
  keys: {
    output_dim: 'units', nb_filter: 'filters', border_mode: 'padding', subsample: 'strides', init: 'kernel_initializer',
    bias: 'use_bias', p: 'rate', W_regularizer: 'kernel_regularizer', b_regularizer: 'bias_regularizer',
    W_constraint: 'kernel_constraint', b_constraint: 'bias_constraint', input_dtype: 'dtype',
  } as Record<string, string>,
  initializers: { uniform: 'random_uniform', normal: 'random_normal', zero: 'zeros', one: 'ones' } as Record<string, string>,
};

/** A JSON object (not null, not a list). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keras 1's short initializer names ("normal") as Keras 2's. */
function initializerSpelling(value: Json): Json {
  return typeof value === 'string' && Object.hasOwn(KERAS1.initializers, value) ? KERAS1.initializers[value]! : value;
}

/** A dtype policy object (Keras 3's DTypePolicy, tf.keras's mixed-precision Policy) as its name; float32 only. */
function dtypeSpelling(where: string, value: Json): Json {
  if (!isObject(value)) return value;
  const name = isObject(value.config) ? value.config.name : undefined;
  if (typeof value.class_name !== 'string' || !value.class_name.includes('Policy') || typeof name !== 'string') {
    fail(where, `dtype ${describe(value)} is not a dtype policy this reader knows.`);
  }
  if (name !== 'float32') {
    fail(where, `dtype policy "${name}" is not supported: layers here compute in float32. Save the model with the "float32" policy (Keras 3: keras.config.set_dtype_policy("float32"); tf.keras: mixed_precision.set_global_policy("float32")) and load it again.`);
  }
  return name;
}

/** Keras 1's dim_ordering: "tf" is Keras 2's channels_last; "th" (channels first) cannot run here. */
function dimOrderingSpelling(where: string, value: Json): Json {
  if (value === 'tf') return 'channels_last';
  return fail(where, `dim_ordering ${describe(value)} is not supported: layers here run channels last ("tf") only. Rebuild the model with dim_ordering "tf" (Keras 2: data_format "channels_last") and save it again.`);
}

/**
 * One layer entry in tf.keras 2.x's spelling, whatever Keras wrote it: Keras 1's class and
 * option names, nb_row/nb_col, dim_ordering and initializer names; Keras 3's dtype policies. Keys no version needs rewritten pass unchanged.
 */
export function kerasSpelling(kerasClassName: string, kerasConfig: JsonObject): { className: string; config: JsonObject } {
  const where = `${kerasClassName} "${typeof kerasConfig.name === 'string' ? kerasConfig.name : '?'}"`;
  if (Object.hasOwn(KERAS1.refused, kerasClassName)) fail(where, KERAS1.refused[kerasClassName]!);
  const className = Object.hasOwn(KERAS1.classes, kerasClassName) ? KERAS1.classes[kerasClassName]! : kerasClassName;
  const own = new Set(isLayerClassName(className) ? layerOptions(className).map((o) => snakeCase(o.key)) : []);
  const config: JsonObject = {};
  for (const [key, value] of Object.entries(kerasConfig)) {
    const renamed = Object.hasOwn(KERAS1.keys, key) && !own.has(key) ? KERAS1.keys[key]! : key;
    if (renamed !== key && Object.hasOwn(kerasConfig, renamed)) continue;
    if (key === 'dim_ordering') config.data_format = dimOrderingSpelling(where, value);
    else if (renamed === 'dtype') config.dtype = dtypeSpelling(where, value);
    else config[renamed] = renamed.endsWith('_initializer') ? initializerSpelling(value) : value;
  }
  const { nb_row: rows, nb_col: cols } = config;
  if (rows !== undefined && cols !== undefined && !Object.hasOwn(config, 'kernel_size')) {
    config.kernel_size = [rows, cols];
    delete config.nb_row;
    delete config.nb_col;
  }
  return { className, config };
}

/** Our layer for a Keras layer entry {class_name, config}: snake_case options to a config for layerFromConfig. */
export function layerFromKeras(kerasClassName: string, kerasConfig: JsonObject): Layer {
  const { className, config } = kerasSpelling(kerasClassName, kerasConfig);
  if (className === 'InputLayer') {
    const { name, batchShape } = inputFromKeras(config);
    return inputLayer({ name, inputShape: batchShape.slice(1), ...(batchShape[0] ? { batchSize: batchShape[0] } : {}) });
  }
  const name = Object.hasOwn(config, 'name') ? config.name : undefined;
  const where = `${className} "${typeof name === 'string' ? name : '?'}"`;
  if (typeof name !== 'string') fail(where, `config.name must be a string, got ${describe(name)}.`);
  const r = new Reader(where, config);
  // Keys a class reads as options (Dense's regularizers) are its own; other classes must keep them at Keras's defaults.
  const own = new Set(isLayerClassName(className) ? layerOptions(className).map((o) => snakeCase(o.key)) : []);
  for (const f of COMMON_FIXED) if (!own.has(f.key)) r.expectDefault(f.key, f.accepted);
  const ours: Record<string, unknown> = { className, name, trainable: r.get('trainable') ?? true };
  const batchShape = r.batchShape();
  if (batchShape) ours.batchInputShape = batchShape;
  if (isLayerClassName(className)) {
    for (const f of kerasLayout(className)) if (typeof f !== 'string') r.expectDefault(f.key, f.accepted);
    for (const o of layerOptions(className)) {
      const value = r.option(o);
      if (value !== undefined) ours[o.key] = value;
    }
  }
  return layerFromConfig(ours);
}
