// Models to and from Keras's model.to_json() format, as tf.keras 2.6 writes
// it: Sequential as {class_name: "Sequential", config: {name, layers}}, other
// models as "Functional" with inbound_nodes in the nested-list form
// [[["layer", nodeIndex, tensorIndex, {}]]]. Reading also takes Keras 1's and 2.0's
// Sequential (a bare list of layers), "Model" (Keras 1 to TF 2.3), Keras 3's {args, kwargs}
// nodes (to_json() and a .keras file's config.json) and TF.js model.json files; each layer's
// spelling in those versions is rewritten by kerasConfig.ts's kerasSpelling.
// Loading only builds layers from a closed list; it never evaluates code.

import type { Layer } from './layer.ts';
import { LayerModel, Sequential } from './model.ts';
import type { KerasModelJson } from './modelJson.ts';
import type { SymbolicTensor } from './tensor.ts';
import { isObject, layerFromKeras, type Json, type JsonObject } from './kerasConfig.ts';
import { LIMITS, clip, describe, fail } from './validate.ts';

export type { Json, JsonObject };
export { modelToJSON, modelToJSONString, type KerasModelJson } from './modelJson.ts';

const WHERE = 'fromJSON';
const MAX_JSON_CHARS = 64 * 1024 * 1024;

// ---- reading ----


function field(obj: JsonObject, key: string, where: string): Json {
  if (!Object.hasOwn(obj, key)) fail(where, `missing "${key}".`);
  return obj[key]!;
}

/** Rejects keys that could reach an object's prototype if a config were ever merged into one. */
function checkKeysSafe(value: unknown, depth = 0): void {
  if (depth > 64) fail(WHERE, `the JSON is nested more than 64 levels deep.`);
  if (Array.isArray(value)) {
    for (const v of value) checkKeysSafe(v, depth + 1);
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') fail(WHERE, `the key "${key}" is not allowed in a model config.`);
      checkKeysSafe(value[key], depth + 1);
    }
  }
}

/** The {class_name, config} inside a to_json() text or a TF.js model.json. */
function unwrap(json: unknown): KerasModelJson {
  let value = json;
  if (typeof value === 'string') {
    if (value.length > MAX_JSON_CHARS) fail(WHERE, `the JSON text is larger than ${MAX_JSON_CHARS} characters.`);
    try {
      value = JSON.parse(value);
    } catch (error) {
      fail(WHERE, `malformed JSON (${clip((error as Error).message)}).`);
    }
  }
  if (!isObject(value)) fail(WHERE, `expected a JSON object with class_name and config, got ${describe(value)}.`);
  if (Object.hasOwn(value, 'modelTopology')) {
    const topology = value.modelTopology;
    if (!isObject(topology)) fail(WHERE, `modelTopology must be an object.`);
    value = Object.hasOwn(topology, 'model_config') ? topology.model_config : topology;
    if (!isObject(value)) fail(WHERE, `modelTopology.model_config must be an object.`);
  }
  checkKeysSafe(value);
  const obj = value as JsonObject;
  const className = field(obj, 'class_name', WHERE);
  let config = field(obj, 'config', WHERE);
  if (typeof className !== 'string') fail(WHERE, `class_name must be a string.`);
  // Keras 1 and 2.0-2.1 (and TF.js 1.x) write a Sequential's config as the bare list of its layers.
  if (className === 'Sequential' && Array.isArray(config)) config = { layers: config };
  if (!isObject(config)) fail(WHERE, `config must be an object.`);
  return { class_name: className, config };
}

function layerEntries(config: JsonObject, where: string): JsonObject[] {
  const list = field(config, 'layers', where);
  if (!Array.isArray(list)) fail(where, `config.layers must be a list.`);
  if (list.length > LIMITS.maxLayers) fail(where, `${list.length} layers is more than the limit of ${LIMITS.maxLayers}.`);
  return list.map((entry, i) => {
    if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
      fail(where, `config.layers[${i}] must be {class_name, config}, got ${describe(entry)}.`);
    }
    return entry;
  });
}

function modelName(config: JsonObject): string | undefined {
  return typeof config.name === 'string' ? config.name : undefined;
}

function sequentialFromJSON(config: JsonObject): Sequential {
  const where = `Sequential "${modelName(config) ?? '?'}"`;
  const entries = layerEntries(config, where);
  const model = new Sequential(modelName(config) ? { name: modelName(config)! } : {});
  for (const entry of entries) {
    const layer = layerFromKeras(entry.class_name as string, entry.config as JsonObject);
    model.add(layer);
  }
  // tf.keras 2.x's from_config: a Sequential built by model.build(shape) names no input shape in its layers.
  const built = config.build_input_shape;
  if (!model.built && Array.isArray(built) && built.length > 1) model.build(built.slice(1) as (number | null)[]);
  // Keras keeps such a model unbuilt until data arrives; here it could not be summarized or trained.
  if (!model.built) fail(where, 'names no input shape: give its first layer a batch_input_shape (tf.keras 2), start it with an InputLayer (Keras 3) or add build_input_shape.');
  return model;
}

type Ref = { layer: string; node: number; tensor: number };

/** A node's input refs in TF 2 form [[name, node, tensor, kwargs], ...] or Keras 3 form {args: [...]}. */
function nodeRefs(node: Json, where: string): Ref[] {
  const refs: Ref[] = [];
  const fromKeras3 = (v: Json): void => {
    if (Array.isArray(v)) v.forEach(fromKeras3);
    else if (isObject(v) && v.class_name === '__keras_tensor__' && isObject(v.config) && Array.isArray(v.config.keras_history)) {
      const [layer, n, t] = v.config.keras_history;
      refs.push({ layer: layer as string, node: n as number, tensor: t as number });
    }
  };
  if (Array.isArray(node)) {
    for (const item of node) {
      if (!Array.isArray(item) || item.length < 3) fail(where, `inbound node entries must be [layer, nodeIndex, tensorIndex, {}], got ${describe(item)}.`);
      refs.push({ layer: item[0] as string, node: item[1] as number, tensor: item[2] as number });
    }
  } else if (isObject(node) && Object.hasOwn(node, 'args')) {
    fromKeras3(node.args!);
  } else {
    fail(where, `cannot read inbound node ${describe(node)}.`);
  }
  for (const r of refs) {
    if (typeof r.layer !== 'string' || !Number.isInteger(r.node) || r.tensor !== 0) fail(where, `bad inbound reference ${describe([r.layer, r.node, r.tensor])}.`);
  }
  return refs;
}

function functionalFromJSON(config: JsonObject): LayerModel {
  const where = `Model "${modelName(config) ?? '?'}"`;
  const entries = layerEntries(config, where);
  const outputsOf = new Map<string, SymbolicTensor[]>(); // layer name -> output per node
  const pending: { layer: Layer; refs: Ref[][]; done: number; name: string }[] = [];
  for (const entry of entries) {
    const layer = layerFromKeras(entry.class_name as string, entry.config as JsonObject);
    if (outputsOf.has(layer.name)) fail(where, `two layers are named "${layer.name}".`);
    if (layer.className === 'InputLayer') {
      outputsOf.set(layer.name, [layer.getOutputAt(0)]);
      continue;
    }
    const nodes = entry.inbound_nodes ?? [];
    if (!Array.isArray(nodes)) fail(layer.where, `inbound_nodes must be a list.`);
    outputsOf.set(layer.name, []);
    pending.push({ layer, refs: nodes.map((n) => nodeRefs(n, layer.where)), done: 0, name: layer.name });
  }
  for (const p of pending) for (const refs of p.refs) for (const r of refs) {
    if (!outputsOf.has(r.layer)) fail(p.layer.where, `is connected to an unknown layer ${describe(r.layer)}.`);
  }
  // Call layers as their inputs become available (Keras does the same passes).
  let progress = true;
  while (progress) {
    progress = false;
    for (const p of pending) {
      while (p.done < p.refs.length) {
        const inputs = p.refs[p.done]!.map((r) => outputsOf.get(r.layer)![r.node]);
        if (inputs.some((t) => t === undefined)) break;
        const tensors = inputs as SymbolicTensor[];
        outputsOf.get(p.name)!.push(p.layer.apply(p.layer.takesList ? tensors : tensors[0]!));
        p.done += 1;
        progress = true;
      }
    }
  }
  const stuck = pending.filter((p) => p.done < p.refs.length).map((p) => p.name);
  if (stuck.length > 0) fail(where, `cannot connect layers ${stuck.join(', ')}: their inputs form a cycle or refer to missing nodes.`);
  const resolve = (key: string): SymbolicTensor[] => {
    const list = field(config, key, where);
    if (!Array.isArray(list)) fail(where, `${key} must be a list.`);
    const items = list.length === 3 && typeof list[0] === 'string' ? [list] : list;
    return items.map((item) => {
      const [name, node] = Array.isArray(item) ? item : [];
      const t = typeof name === 'string' && typeof node === 'number' ? outputsOf.get(name)?.[node] : undefined;
      if (!t) fail(where, `${key} refers to ${describe(item)}, which is not a layer output.`);
      return t;
    });
  };
  return new LayerModel({ inputs: resolve('input_layers'), outputs: resolve('output_layers'), ...(modelName(config) ? { name: modelName(config)! } : {}) });
}

/** A model from Keras's to_json() (object or text) or a TF.js model.json. */
export function modelFromJSON(json: unknown): LayerModel {
  const { class_name: className, config } = unwrap(json);
  if (className === 'Sequential') return sequentialFromJSON(config);
  if (className === 'Functional' || className === 'Model') return functionalFromJSON(config);
  return fail(WHERE, `unknown model class ${describe(className)}; expected Sequential, Functional or Model.`);
}
