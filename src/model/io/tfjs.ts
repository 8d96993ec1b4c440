// TensorFlow.js's layers format: model.json (format 'layers-model', the Keras model JSON as
// modelTopology, a weightsManifest) plus binary shards of little-endian weights. Written the way
// tensorflowjs_converter writes a Keras model (4 MB shards 'group1-shardNofM.bin', weights in
// model order under Keras's 'layer/weight' names) so tf.loadLayersModel reads it; read the way
// tfjs-layers reads it (weights matched by name, every size and shape checked before any weight
// changes), including model.json files of TF.js 1.x to 4.x and the converter's.

import type { LayerModel } from '../functional.ts';
import { isObject, type Json, type JsonObject } from '../kerasConfig.ts';
import { modelToJSON } from '../modelJson.ts';
import { modelFromJSON } from '../serialize.ts';
import type { CompileArgs } from '../train/config.ts';
import { compileArgsFromModelJson } from '../train/compileConfig.ts';
import { LIMITS, clip, describe, fail } from '../validate.ts';
import type { LoadedModel, NamedBytes } from './types.ts';
import { planWeights, tfjsWeightName, type ManifestWeight } from './tfjsWeights.ts';

const WHERE = 'TF.js model.json';
/** tensorflowjs_converter's default --weight_shard_size_bytes. */
export const SHARD_BYTES = 4 * 1024 * 1024;
const MAX_JSON_BYTES = 64 * 1024 * 1024;

export interface TfjsFiles {
  modelJson: JsonObject;
  shards: NamedBytes[];
}


/** The model's weights in Keras order, under the names tf.keras 2 gives them (which TF.js reads). */
function modelWeights(model: LayerModel) {
  return model.graphLayers.flatMap((layer) =>
    layer.weights.map((w) => ({ name: `${layer.name}/${tfjsWeightName(layer.className, w.name)}`, shape: [...w.shape], values: w.values })));
}

/** Layers tfjs-layers 4.22 cannot load: refused before writing rather than written into a file TF.js rejects. */
const TFJS_LACKS: Record<string, string> = {
  SpatialDropout2D: 'TF.js has no SpatialDropout2D layer',
  Subtract: 'TF.js has no Subtract layer (Add with a negated input does the same)',
  Normalization: 'TF.js has no Normalization layer (fold it into the data, or use Rescaling)',
};

function checkTfjsCanRead(value: Json, where: string): void {
  if (Array.isArray(value)) {
    for (const v of value) checkTfjsCanRead(v, where);
    return;
  }
  if (!isObject(value)) return;
  const className = value.class_name;
  const config = value.config;
  if (typeof className === 'string' && isObject(config)) {
    const layer = typeof config.name === 'string' ? ` "${config.name}"` : '';
    if (Object.hasOwn(TFJS_LACKS, className)) fail(where, `${className}${layer}: ${TFJS_LACKS[className]}; TF.js could not load this model.`);
    if (className === 'GRU' && config.reset_after === true) {
      fail(where, `GRU${layer} has reset_after=True, which TF.js's GRU does not support; build it with resetAfter: false to export to TF.js.`);
    }
  }
  for (const v of Object.values(value)) checkTfjsCanRead(v, where);
}

/**
 * tf.keras 2.x names the wrapped layer of a Bidirectional by its own name ("lstm") and TF.js adds
 * "forward_" when it builds it; our Keras JSON names it as Keras 3 does ("forward_lstm"), which
 * TF.js would turn into "forward_forward_lstm" and miss every weight.
 */
function tfjsTopology(value: Json): Json {
  if (Array.isArray(value)) return value.map(tfjsTopology);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) out[key] = tfjsTopology(v);
  const inner = isObject(out.config) ? out.config.layer : undefined;
  if (out.class_name === 'Bidirectional' && isObject(inner) && isObject(inner.config) && typeof inner.config.name === 'string') {
    inner.config.name = inner.config.name.replace(/^forward_/, '');
  }
  return out;
}

/** model.json and its shards; `compile` goes into modelTopology.training_config as the converter puts it. */
export function writeTfjs(model: LayerModel, opts: { compile?: CompileArgs; shardBytes?: number } = {}): TfjsFiles {
  const { class_name, config, keras_version, backend, training_config } = modelToJSON(model, opts.compile);
  const modelConfig = tfjsTopology({ class_name, config });
  checkTfjsCanRead(modelConfig, `TF.js export of "${model.name}"`);
  const weights = modelWeights(model);
  const total = weights.reduce((n, w) => n + w.values.length * 4, 0);
  const blob = new Uint8Array(total);
  const view = new DataView(blob.buffer);
  let offset = 0;
  for (const w of weights) {
    for (let j = 0; j < w.values.length; j++) view.setFloat32(offset + j * 4, w.values[j]!, true);
    offset += w.values.length * 4;
  }
  const shardBytes = opts.shardBytes ?? SHARD_BYTES;
  const count = Math.max(1, Math.ceil(total / shardBytes));
  const shards: NamedBytes[] = [];
  for (let i = 0; i < count; i++) {
    shards.push({ name: `group1-shard${i + 1}of${count}.bin`, data: blob.subarray(i * shardBytes, Math.min(total, (i + 1) * shardBytes)) });
  }
  const modelTopology: JsonObject = {
    keras_version: keras_version ?? '2.6.0',
    backend: backend ?? 'tensorflow',
    model_config: modelConfig,
    ...(training_config ? { training_config: training_config as unknown as Json } : {}),
  };
  const modelJson: JsonObject = {
    format: 'layers-model',
    generatedBy: `webgpu-keras-playground (Keras ${keras_version ?? '2.6.0'} model JSON)`,
    convertedBy: 'webgpu-keras-playground writeTfjs',
    modelTopology,
    weightsManifest: [{ paths: shards.map((s) => s.name), weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) }],
  };
  return { modelJson, shards };
}

/** The file name without folders: manifests name shards relative to model.json ('./x.bin', 'dir/x.bin'). */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

export function parseJsonBytes(bytes: Uint8Array, source: string): unknown {
  if (bytes.byteLength > MAX_JSON_BYTES) fail(source, `is ${bytes.byteLength} bytes; a model JSON file is at most ${MAX_JSON_BYTES}.`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    fail(source, `is not JSON (${clip((error as Error).message)}).`);
  }
}

/** True for a model.json TF.js can load: format 'layers-model' (TF.js 2+) or a weightsManifest (TF.js 1.x and the converter). */
export function isTfjsModelJson(json: unknown): boolean {
  return isObject(json) && isObject(json.modelTopology) && (json.format === 'layers-model' || Array.isArray(json.weightsManifest));
}

interface Group {
  paths: string[];
  weights: ManifestWeight[];
}

function manifestGroups(json: JsonObject, where: string): Group[] {
  const manifest = json.weightsManifest;
  if (manifest === undefined || manifest === null) return [];
  if (!Array.isArray(manifest)) fail(where, `weightsManifest must be a list of {paths, weights}, got ${describe(manifest)}.`);
  return manifest.map((group, g) => {
    const at = `${where} weightsManifest[${g}]`;
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) fail(at, `must be {paths: [...], weights: [...]}.`);
    if (!group.paths.every((p) => typeof p === 'string')) fail(at, `paths must be file names, got ${describe(group.paths)}.`);
    if (group.weights.length > LIMITS.maxLayers * 16) fail(at, `lists ${group.weights.length} weights, more than any model we read.`);
    return { paths: group.paths as string[], weights: group.weights as unknown as ManifestWeight[] };
  });
}

/**
 * A TF.js model.json and its shards (any names; matched to the manifest's paths by file name).
 * Without any shards the model is read as a definition only, with fresh weights and a note.
 */
export function readTfjs(modelJsonBytes: Uint8Array | unknown, shards: NamedBytes[], source = 'model.json'): LoadedModel {
  const where = `${WHERE} ${source}`;
  const json = modelJsonBytes instanceof Uint8Array ? parseJsonBytes(modelJsonBytes, source) : modelJsonBytes;
  if (!isObject(json) || !isObject(json.modelTopology)) fail(where, `has no modelTopology; it is not a TF.js layers model (a graph model cannot be read as Keras layers).`);
  if (json.format !== undefined && json.format !== 'layers-model') {
    fail(where, `has format ${describe(json.format)}; only 'layers-model' files hold Keras layers (convert a graph model from its Keras source instead).`);
  }
  const topology = json.modelTopology;
  let model: LayerModel;
  try {
    model = modelFromJSON({ modelTopology: topology });
  } catch (error) {
    fail(where, `holds no model we can build: ${(error as Error).message}`);
  }
  const notes: string[] = [];
  const compile = readCompile(topology, json.trainingConfig, notes);
  const groups = manifestGroups(json, where);
  const format = `TF.js layers model${typeof json.generatedBy === 'string' ? ` (${clip(json.generatedBy, 60)})` : ''}`;
  const base = { model, format, notes, ...(compile ? { compile } : {}) };
  const paths = groups.flatMap((g) => g.paths);
  if (shards.length === 0) {
    if (paths.length > 0) notes.push(`${source} names ${paths.length} weight file(s) (${paths.slice(0, 4).map(baseName).join(', ')}) that were not given: read as a definition only, with fresh weights.`);
    return { ...base, weightsLoaded: false };
  }
  const byName = new Map(shards.map((s) => [baseName(s.name), s]));
  // A browser renames a second download of weights.bin to 'weights (1).bin': one file for one path is that file.
  if (paths.length === 1 && shards.length === 1 && !byName.has(baseName(paths[0]!))) {
    notes.push(`${shards[0]!.name} read as ${baseName(paths[0]!)}, the only weight file ${source} names.`);
    byName.set(baseName(paths[0]!), shards[0]!);
  }
  const missing = paths.filter((p) => !byName.has(baseName(p)));
  if (missing.length > 0) {
    fail(where, `needs ${paths.map(baseName).join(', ')} beside it; missing ${missing.slice(0, 6).map(baseName).join(', ')}${missing.length > 6 ? ` and ${missing.length - 6} more` : ''}.`);
  }
  const extra = shards.filter((s) => !paths.some((p) => byName.get(baseName(p)) === s));
  if (extra.length > 0) fail(where, `does not name ${extra.map((s) => s.name).join(', ')}; it expects ${paths.map(baseName).join(', ') || 'no weight files'}.`);
  const optimizerState = groups.flatMap((g) => g.weights).filter((w) => isObject(w) && w.group === 'optimizer').length;
  if (optimizerState > 0) notes.push(`the optimizer's saved state (${optimizerState} weights) is not kept; training starts it afresh.`);
  const groupBytes = groups.map((g) => concat(g.paths.map((p) => byName.get(baseName(p))!.data)));
  planWeights(model, groups.map((g, i) => ({ weights: g.weights, data: groupBytes[i]!, files: g.paths.map(baseName) })), where)();
  return { ...base, weightsLoaded: true };
}

/** TF.js's optimizer classes and camelCase arguments under Keras's names. */
const TFJS_OPTIMIZER_CLASSES: Record<string, string> = { RMSProp: 'RMSprop', Momentum: 'SGD' };
const TFJS_OPTIMIZER_KEYS: Record<string, string> = {
  learningRate: 'learning_rate', beta1: 'beta_1', beta2: 'beta_2', useNesterov: 'nesterov', initialAccumulatorValue: 'initial_accumulator_value',
};

function kerasTrainingConfig(config: JsonObject): JsonObject {
  const optimizer = config.optimizer_config;
  if (!isObject(optimizer) || typeof optimizer.class_name !== 'string' || !isObject(optimizer.config)) return config;
  const args = Object.fromEntries(Object.entries(optimizer.config).map(([k, v]) => [TFJS_OPTIMIZER_KEYS[k] ?? k, v]));
  return { ...config, optimizer_config: { class_name: TFJS_OPTIMIZER_CLASSES[optimizer.class_name] ?? optimizer.class_name, config: args } };
}

/** The converter keeps training_config in modelTopology; TF.js's own model.save writes it at the top level as trainingConfig, in TF.js's spelling. */
function readCompile(topology: JsonObject, trainingConfig: Json | undefined, notes: string[]): CompileArgs | undefined {
  const config = isObject(topology.training_config) ? topology.training_config : isObject(trainingConfig) ? kerasTrainingConfig(trainingConfig) : undefined;
  if (!config) return undefined;
  try {
    return compileArgsFromModelJson({ training_config: config }) ?? undefined;
  } catch (error) {
    notes.push(`training_config not kept: ${clip((error as Error).message)}`);
    return undefined;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
