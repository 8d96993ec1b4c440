// A model as Keras 3 serializes it: the config.json inside a .keras file, which Keras 3's
// model.to_json() prints too. Sequential and Functional with Keras 3's envelope (module,
// class_name, config, registered_name, build_config, compile_config) and Functional's
// inbound_nodes as {args: [__keras_tensor__ ...], kwargs}. Each layer is keras3Layer.ts's.
// The reader is serialize.ts's modelFromJSON; compileFromKeras3 reads compile_config back.

import type { LayerModel } from '../functional.ts';
import type { Node, SymbolicTensor } from '../tensor.ts';
import { isObject, type Json, type JsonObject } from '../kerasConfig.ts';
import type { CompileArgs, OptimizerArg } from '../train/config.ts';
import { compileFromKeras, compileToKeras, type KerasCompileConfig } from '../train/compileConfig.ts';
import { resolveOptimizer } from '../train/optimizerConfig.ts';
import { resolveLoss, type LossArg } from '../train/lossConfig.ts';
import { optimizerFromKeras, optimizerToKeras } from '../train/optimizerKeras.ts';
import { describe, fail } from '../validate.ts';
import { callKwargs, dtypePolicy, layerToKeras3 } from './keras3Layer.ts';
import { pythonJson } from '../pythonJson.ts';

export { pythonJson };

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
