// A model as Keras 3 serializes it: the config.json inside a .keras file, which Keras 3's
// model.to_json() prints too. Sequential and Functional with Keras 3's envelope (module,
// class_name, config, registered_name, build_config, compile_config) and Functional's
// inbound_nodes as {args: [__keras_tensor__ ...], kwargs}. Each layer is keras3Layer.ts's.
// The reader is serialize.ts's modelFromJSON; compileFromKeras3 reads compile_config back.

import type { LayerModel } from '../functional.ts';
import type { Node, SymbolicTensor } from '../tensor.ts';
import type { Json, JsonObject } from '../kerasConfig.ts';
import type { CompileArgs, OptimizerArg } from '../train/config.ts';
import { compileFromKeras, compileToKeras, type KerasCompileConfig } from '../train/compileConfig.ts';
import { resolveOptimizer } from '../train/optimizerConfig.ts';
import { resolveLoss, type LossArg } from '../train/lossConfig.ts';
import { optimizerFromKeras, optimizerToKeras } from '../train/optimizerKeras.ts';
import { describe, fail } from '../validate.ts';
import { callKwargs, dtypePolicy, layerToKeras3 } from './keras3Layer.ts';

/** Index of `node` among the layer's calls that belong to `model` (Keras renumbers keras_history so). */
function keptIndex(model: LayerModel, node: Node): number {
  return node.layer.inboundNodes.filter((n) => model.hasNode(n)).indexOf(node);
}

function tensorRef(model: LayerModel, t: SymbolicTensor): Json[] {
  return [t.layer.name, keptIndex(model, t.node), t.tensorIndex];
}

/** A symbolic tensor as a node argument: Keras 3's serialized KerasTensor. */
function kerasTensor(model: LayerModel, t: SymbolicTensor): JsonObject {
  return { class_name: '__keras_tensor__', config: { shape: [...t.shape], dtype: 'float32', keras_history: tensorRef(model, t) } };
}

/** One call of a layer: its tensors as args (a merge layer's list as one argument) and the call's kwargs. */
function nodeJson(model: LayerModel, node: Node): JsonObject {
  const tensors = node.inputs.map((t) => kerasTensor(model, t));
  return { args: node.layer.takesList ? [tensors] : tensors, kwargs: callKwargs(node.layer.className) };
}

/** input_layers / output_layers: one reference, or a list of them when there are several. */
function refs(model: LayerModel, tensors: SymbolicTensor[]): Json {
  const list = tensors.map((t) => tensorRef(model, t));
  return list.length === 1 ? list[0]! : list;
}

function functionalConfig(model: LayerModel): JsonObject {
  const layers = model.graphLayers.map((layer) => ({
    ...layerToKeras3(layer),
    name: layer.name,
    inbound_nodes: layer.inboundNodes.filter((n) => model.hasNode(n) && !n.isInput).map((n) => nodeJson(model, n)),
  }));
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: { name: model.name, trainable: true, layers, input_layers: refs(model, model.inputs), output_layers: refs(model, model.outputs) },
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
}

/** Keras 3's Sequential lists its InputLayer among its layers; one not built yet has neither input nor build shape. */
function sequentialConfig(model: LayerModel): JsonObject {
  if (!model.built) {
    const layers = model.layers.map((layer) => layerToKeras3(layer));
    return { module: 'keras', class_name: 'Sequential', config: { name: model.name, trainable: true, dtype: dtypePolicy(), layers }, registered_name: null };
  }
  const inputShape = [...model.inputs[0]!.shape];
  const layers = model.graphLayers.map((layer) => layerToKeras3(layer));
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: { name: model.name, trainable: true, dtype: dtypePolicy(), layers, build_input_shape: inputShape },
    registered_name: null,
    build_config: { input_shape: inputShape },
  };
}

/** Keras 3's get_compile_config(): the optimizer serialized whole, as compile() resolved it. */
function compileConfig(compile: CompileArgs): JsonObject {
  const { loss, metrics, loss_weights: lossWeights } = compileToKeras(compile);
  return {
    optimizer: optimizerToKeras(resolveOptimizer(compile.optimizer ?? 'rmsprop')) as JsonObject,
    loss: loss as Json,
    loss_weights: lossWeights as Json,
    metrics: metrics as Json,
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: true,
  };
}

/** Keras 3's serialize_keras_object(model): config.json of a .keras file; compile_config is {} without `compile`. */
export function modelToKeras3Json(model: LayerModel, compile?: CompileArgs): JsonObject {
  const json = model.kind === 'sequential' ? sequentialConfig(model) : functionalConfig(model);
  json.compile_config = compile ? compileConfig(compile) : {};
  return json;
}

/** Keras 3's model.to_json() text: Python's json.dumps (", " and ": ", floats as Python's repr). */
export function keras3JsonString(model: LayerModel, compile?: CompileArgs): string {
  return pythonJson(modelToKeras3Json(model, compile));
}

/**
 * Python's repr of a float where it differs from JavaScript's: exponents below 1e-4 and from
 * 1e16 ("1e-05", "1e+16"). Integral values are written as integers (we do not know which
 * Keras keeps as floats; json.loads reads both the same).
 */
function pythonNumber(value: number): string {
  if (!Number.isFinite(value)) return fail('keras3JsonString', `${value} cannot be written in JSON.`);
  const abs = Math.abs(value);
  if (Number.isInteger(value) && abs < 1e16) return String(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(value);
}

/**
 * Keys whose values Keras checks are Python floats when it loads them (SGD refuses `momentum: 0`;
 * optimizers convert a non-float learning_rate), written with ".0" when integral.
 */
const FLOAT_KEYS = new Set(['momentum', 'learning_rate']);

/** JSON text as Python's json.dumps writes it. */
export function pythonJson(value: Json, key?: string): string {
  if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${pythonString(k)}: ${pythonJson(v, k)}`).join(', ')}}`;
  }
  if (typeof value === 'number' && key !== undefined && FLOAT_KEYS.has(key) && Number.isInteger(value)) return `${value}.0`;
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  return JSON.stringify(value);
}

/** json.dumps's ensure_ascii: every character past ASCII as \uXXXX. */
function pythonString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The optimizer of a Keras 3 compile_config as compile() takes it (learning-rate schedules included). */
function optimizerArg(value: Json | undefined): OptimizerArg | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return compileFromKeras({ loss: 'mse', optimizer: value }).optimizer;
  const { schedule, learningRate, ...rest } = optimizerFromKeras(value);
  return { ...rest, learningRate: schedule ?? learningRate } as OptimizerArg;
}

/**
 * compile()'s arguments from a .keras config.json (or Keras 3's to_json()): its compile_config;
 * undefined when the model was saved without compile() (compile_config {} or absent).
 */
export function compileFromKeras3(config: JsonObject): CompileArgs | undefined {
  const compile = config.compile_config;
  if (compile === undefined || compile === null) return undefined;
  if (!isObject(compile)) return fail('compile_config', `must be an object, got ${describe(compile)}.`);
  if (Object.keys(compile).length === 0 || compile.loss === undefined || compile.loss === null) return undefined;
  const { optimizer, ...rest } = compile;
  const args = compileFromKeras(rest as Partial<KerasCompileConfig>);
  // compileFromKeras keeps loss names as given; an unknown one is refused here, while reading the file.
  const losses = typeof args.loss === 'object' && args.loss !== null && !('className' in args.loss) ? Object.values(args.loss) : [args.loss];
  for (const loss of losses as LossArg[]) resolveLoss(loss, 'compile_config: loss');
  const opt = optimizerArg(optimizer);
  return opt === undefined ? args : { ...args, optimizer: opt };
}
