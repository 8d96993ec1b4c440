// A model as Keras's model.to_json() writes it (tf.keras 2.6): Sequential as
// {class_name: "Sequential", config: {name, layers}}, other models as "Functional" with
// inbound_nodes in the nested-list form [[["layer", nodeIndex, tensorIndex, {}]]].
// The reader is serialize.ts.

import type { LayerModel } from './functional.ts';
import type { Node, SymbolicTensor } from './tensor.ts';
import { layerToKeras, type Json, type JsonObject } from './kerasConfig.ts';
import { pythonJson } from './pythonJson.ts';
import type { CompileArgs } from './train/config.ts';
import { compileToKeras, type KerasCompileConfig } from './train/compileConfig.ts';

export interface KerasModelJson {
  class_name: string;
  config: JsonObject;
  keras_version?: string;
  backend?: string;
  /** compile()'s loss, metrics, loss weights and optimizer, as tf.keras saves them beside the model. */
  training_config?: KerasCompileConfig;
}

/** Node index of `node` among the layer's calls that belong to `model` (Keras renumbers). */
function keptIndex(model: LayerModel, node: Node): number {
  return node.layer.inboundNodes.filter((n) => model.hasNode(n)).indexOf(node);
}

function tensorRef(model: LayerModel, t: SymbolicTensor): Json[] {
  return [t.layer.name, keptIndex(model, t.node), t.tensorIndex];
}

/** With `compile`, the JSON carries its training_config (read back by compileArgsFromModelJson). */
export function modelToJSON(model: LayerModel, compile?: CompileArgs): KerasModelJson {
  const meta = { keras_version: '2.6.0', backend: 'tensorflow', ...(compile ? { training_config: compileToKeras(compile) } : {}) };
  if (model.kind === 'sequential') {
    const layers = model.graphLayers.map((l) => ({ class_name: l.className, config: layerToKeras(l.getConfig()) }));
    return { class_name: 'Sequential', config: { name: model.name, layers }, ...meta };
  }
  const layers = model.graphLayers.map((layer) => ({
    class_name: layer.className,
    config: layerToKeras(layer.getConfig()),
    name: layer.name,
    inbound_nodes: layer.inboundNodes
      .filter((n) => model.hasNode(n) && !n.isInput)
      .map((n) => n.inputs.map((t) => [...tensorRef(model, t), {}])),
  }));
  return {
    class_name: 'Functional',
    config: {
      name: model.name,
      layers,
      input_layers: model.inputs.map((t) => tensorRef(model, t)),
      output_layers: model.outputs.map((t) => tensorRef(model, t)),
    },
    ...meta,
  };
}

/** Keras's to_json() text: Python's json.dumps separators (", " and ": "). */
export function modelToJSONString(model: LayerModel): string {
  return pythonJson(modelToJSON(model) as unknown as Json);
}
