// One layer as Keras 3 serializes it (serialize_keras_object: module, class_name, config,
// registered_name, build_config), derived from tf.keras 2.6's get_config (kerasConfig.ts's
// layerToKeras). Keras 3's differences are listed once each below, as a function per difference
// rather than per layer; checked against Keras 3.15.1 by keras3Json.test.ts.

import type { Layer } from '../layer.ts';
import { isObject, layerToKeras, type Json, type JsonObject } from '../kerasConfig.ts';
import { layerOptions, type LayerClassName, type LayerConfig } from '../layers/registry.ts';
import { snakeCase } from '../layers/entry.ts';
import type { Shape } from '../../ops/shapes.ts';

/** Keras 3's float32 DTypePolicy (a fresh object each time: callers may edit what they get). */
export function dtypePolicy(): JsonObject {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
}

/** Keras 3 classes without a build() of their own: they write no build_config. */
const NO_BUILD = new Set<string>([
  'InputLayer', 'MaxPooling2D', 'AveragePooling2D', 'MaxPooling1D', 'AveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D',
  'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'Reshape', 'Dropout', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout',
  'Activation', 'ReLU', 'LeakyReLU', 'ELU', 'Softmax',
]);

/** Initializers that are VarianceScaling in Keras 3: their config ends with input_axes and output_axes. */
const VARIANCE_SCALING = new Set(['VarianceScaling', 'GlorotUniform', 'GlorotNormal', 'HeNormal', 'HeUniform', 'LecunNormal', 'LecunUniform']);

/** Keys a class writes in another order in Keras 3: `key` comes just before `before`. */
const MOVED: Partial<Record<LayerClassName, { key: string; before: string }[]>> = {
  ELU: [{ key: 'alpha', before: 'trainable' }],
  Dropout: [{ key: 'seed', before: 'noise_shape' }],
  Bidirectional: [{ key: 'merge_mode', before: 'layer' }],
};

/** Keras 3 adds quantization_config (null: not quantized) to these, last. */
const QUANTIZABLE = new Set<string>(['Dense', 'Embedding']);

/** Conv1D's sizes are 1-tuples in Keras 3. */
const ONE_TUPLES: Partial<Record<LayerClassName, string[]>> = { Conv1D: ['kernel_size', 'strides', 'dilation_rate'] };


/** `key` moved to just before `before` (or kept in place when `before` is absent). */
function moveKey(config: JsonObject, key: string, before: string): JsonObject {
  if (!Object.hasOwn(config, key) || !Object.hasOwn(config, before)) return config;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === key) continue;
    if (k === before) out[key] = config[key]!;
    out[k] = v;
  }
  return out;
}

/** An initializer as keras.initializers.serialize writes it: seed first, VarianceScaling's axes last. */
function initializer(value: JsonObject): JsonObject {
  const className = value.class_name as string;
  const given = value.config as JsonObject;
  const config: JsonObject = Object.hasOwn(given, 'seed') ? { seed: given.seed! } : {};
  for (const [k, v] of Object.entries(given)) if (k !== 'seed') config[k] = v;
  if (VARIANCE_SCALING.has(className)) Object.assign(config, { input_axes: null, output_axes: null });
  return { module: 'keras.initializers', class_name: className, config, registered_name: null };
}

/** A regularizer or constraint: Keras 3's L1 keeps its factor as a float32 tensor, so it writes that. */
function penalty(value: JsonObject, module: string): JsonObject {
  const config = { ...(value.config as JsonObject) };
  if (value.class_name === 'L1' && typeof config.l1 === 'number') config.l1 = Math.fround(config.l1);
  return { module, class_name: value.class_name!, config, registered_name: null };
}

/** Initializers, regularizers and constraints as serialized objects (module, registered_name). */
function serializedObjects(className: LayerClassName, config: JsonObject): JsonObject {
  const out = { ...config };
  for (const option of layerOptions(className)) {
    const key = snakeCase(option.key);
    const value = out[key];
    if (!isObject(value)) continue;
    if (option.type === 'initializer') out[key] = initializer(value);
    else if (option.type === 'regularizer') out[key] = penalty(value, 'keras.regularizers');
    else if (option.type === 'constraint') out[key] = penalty(value, 'keras.constraints');
  }
  return out;
}

/**
 * Keras 3's base Layer writes activity_regularizer right after dtype when one is set; Dense
 * leaves it out when none is set.
 */
function activityRegularizer(className: LayerClassName, config: JsonObject): JsonObject {
  const value = config.activity_regularizer;
  if (value === undefined) return config;
  if (value === null) {
    if (className !== 'Dense') return config;
    const { activity_regularizer: _omitted, ...rest } = config;
    return rest;
  }
  const { name, trainable, dtype, activity_regularizer: _moved, ...rest } = config;
  return { name: name!, trainable: trainable!, dtype: dtype!, activity_regularizer: value, ...rest };
}

/** SpatialDropout2D's own get_config: no trainable, dtype as a plain name, name after rate and seed. */
function spatialDropout(config: JsonObject): JsonObject {
  return { rate: config.rate!, seed: config.seed!, name: config.name!, dtype: 'float32', data_format: config.data_format! };
}

/** The Keras 3 differences that apply to any layer's config, in the order Keras's get_config produces them. */
function keras3Config(className: LayerClassName, tf2: JsonObject): JsonObject {
  const { batch_input_shape: _input, ...rest } = tf2;
  let config: JsonObject = { ...rest, dtype: dtypePolicy() };
  config = serializedObjects(className, config);
  config = activityRegularizer(className, config);
  for (const key of ONE_TUPLES[className] ?? []) if (typeof config[key] === 'number') config[key] = [config[key]];
  for (const { key, before } of MOVED[className] ?? []) config = moveKey(config, key, before);
  if (QUANTIZABLE.has(className)) config.quantization_config = null;
  if (className === 'SpatialDropout2D') config = spatialDropout(config);
  return config;
}

/** The input shapes of a wrapper's held layer (Bidirectional: the same; TimeDistributed: one step). */
function nestedInputShape(wrapper: LayerClassName, shape: Json): Json {
  if (wrapper !== 'TimeDistributed' || !Array.isArray(shape)) return shape;
  const [batch, , ...step] = shape;
  return [batch ?? null, ...step];
}

/** A wrapper's held layers as whole serialized layers; Bidirectional's RNNs zero masked steps when they return sequences. */
function nestedLayers(config: LayerConfig, keras: JsonObject, inputShape: Json | undefined): JsonObject {
  const out = { ...keras };
  for (const option of layerOptions(config.className)) {
    if (option.type !== 'layer') continue;
    const key = snakeCase(option.key);
    const nested = (config as unknown as Record<string, unknown>)[option.key] as LayerConfig | null;
    if (!nested) continue;
    const entry = layerConfigToKeras3(nested, inputShape === undefined ? undefined : nestedInputShape(config.className, inputShape));
    const inner = entry.config as JsonObject;
    if (config.className === 'Bidirectional' && Object.hasOwn(inner, 'zero_output_for_mask')) inner.zero_output_for_mask = inner.return_sequences!;
    out[key] = entry;
  }
  return out;
}

/** Keras 3's InputLayer config. */
function inputLayerConfig(config: LayerConfig & { className: 'InputLayer' }): JsonObject {
  return { batch_shape: config.batchInputShape, dtype: 'float32', sparse: false, ragged: false, name: config.name, optional: false };
}

/**
 * One layer config as Keras 3's serialize_keras_object writes it. `inputShape` is its build
 * shape (a list of shapes for a merge layer); without one no build_config is written.
 */
export function layerConfigToKeras3(config: LayerConfig, inputShape?: Json): JsonObject {
  const className = config.className;
  const body = className === 'InputLayer' ? inputLayerConfig(config) : nestedLayers(config, keras3Config(className, layerToKeras(config)), inputShape);
  const entry: JsonObject = { module: 'keras.layers', class_name: className, config: body, registered_name: null };
  if (inputShape !== undefined && !NO_BUILD.has(className)) entry.build_config = { input_shape: inputShape };
  return entry;
}

/** The shape(s) a layer was built for: its first call's input shapes (a list for merge layers). */
export function buildShape(layer: Layer): Json | undefined {
  const first = layer.inboundNodes[0];
  if (!first || first.isInput) return undefined;
  const shapes = first.inputShapes.map((s: Shape) => [...s]);
  return layer.takesList ? shapes : shapes[0];
}

/** A layer of a model as Keras 3 serializes it. */
export function layerToKeras3(layer: Layer): JsonObject {
  return layerConfigToKeras3(layer.getConfig(), buildShape(layer));
}

/** The call kwargs Keras 3 records in each inbound node, by class (the symbolic call's training and mask). */
export function callKwargs(className: LayerClassName): JsonObject {
  const training = ['Dropout', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout'];
  const trainingAndMask = ['SimpleRNN', 'LSTM', 'GRU'];
  const mask = ['BatchNormalization', 'Bidirectional', 'TimeDistributed', 'GlobalAveragePooling1D', 'Softmax'];
  if (training.includes(className)) return { training: false };
  if (trainingAndMask.includes(className)) return { training: false, mask: null };
  if (mask.includes(className)) return { mask: null };
  return {};
}
