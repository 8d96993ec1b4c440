// Keras's legacy full-model .h5 (tf.keras 2.x model.save('x.h5'), still written by Keras 3):
// root attributes model_config (the to_json() {class_name, config} text), training_config (compile's
// settings, tf.keras's spelling with optimizer_config), keras_version and backend, the weights in
// the model_weights group (h5LegacyWeights.ts), and the optimizer's state in optimizer_weights,
// which is read past (noted) since our trainer starts its optimizer fresh.
// We write tf.keras 2.6's file: modelToJSON's config, version 2.6.0, backend tensorflow, which
// Keras 3's load_model reads as the legacy format it is.

import type { LayerModel } from '../functional.ts';
import { modelToJSON } from '../modelJson.ts';
import type { Json } from '../kerasConfig.ts';
import { pythonJson } from '../pythonJson.ts';
import { modelFromJSON } from '../serialize.ts';
import { compileFromKeras, compileToKeras, type KerasCompileConfig } from '../train/compileConfig.ts';
import type { CompileArgs } from '../train/config.ts';
import { resolveLoss } from '../train/lossConfig.ts';
import { clip, fail } from '../validate.ts';
import { getGroup, readH5, stringAttr, stringListAttr, writeH5 } from './hdf5.ts';
import { LEGACY_BACKEND, LEGACY_KERAS_VERSION, legacyWeightsGroup, readLegacyWeights, writeLegacyWeights } from './h5LegacyWeights.ts';
import type { LoadedModel, WriteOptions } from './types.ts';

export const H5_MODEL_FORMAT = 'Keras .h5 (legacy full model)';
/** Longest model_config or training_config text parsed (VGG16's config is 30 KB). */
const MAX_CONFIG_CHARS = 16 * 1024 * 1024;

/**
 * Loss names as Keras's function names: Keras 3.15.1's legacy .h5 loader fails on the aliases
 * ('mse', 'mae', 'kld': "Could not deserialize 'keras.metrics.mse'"), even in files it wrote.
 */
function fullLossNames(loss: unknown): unknown {
  if (typeof loss === 'string') return resolveLoss(loss).kind;
  if (Array.isArray(loss)) return loss.map(fullLossNames);
  if (loss !== null && typeof loss === 'object' && !('class_name' in loss)) {
    return Object.fromEntries(Object.entries(loss).map(([k, v]) => [k, fullLossNames(v)]));
  }
  return loss;
}

/** tf.keras's training_config: compile's loss, metrics and loss_weights, the optimizer as optimizer_config. */
function trainingConfig(args: CompileArgs): Json {
  const c = { ...compileToKeras(args) };
  c.loss = fullLossNames(c.loss) as KerasCompileConfig['loss'];
  // A named optimizer ('adam') is written as its class with Keras's defaults, as tf.keras saved it.
  const optimizer = typeof c.optimizer === 'string' ? compileToKeras({ ...args, optimizer: { kind: c.optimizer } as CompileArgs['optimizer'] }).optimizer : c.optimizer;
  return { loss: c.loss, metrics: c.metrics, weighted_metrics: null, loss_weights: c.loss_weights, optimizer_config: optimizer } as Json;
}

/**
 * Keras 3 rebuilds a wrapper's inner layer (Bidirectional's layer and backward_layer,
 * TimeDistributed's layer) with its new deserializer, which cannot find 'LSTM' without
 * "module": "keras.layers"; tf.keras 2.x ignores the extra key. Added to a copy.
 */
function withInnerModules(config: Json): Json {
  const layers = (config as { layers?: { config?: Record<string, Json> }[] }).layers ?? [];
  return {
    ...(config as Record<string, Json>),
    layers: layers.map((layer) => {
      const inner = layer.config;
      if (!inner) return layer as Json;
      const patched = { ...inner };
      for (const key of ['layer', 'backward_layer']) {
        const held = patched[key];
        if (held !== null && typeof held === 'object' && !Array.isArray(held) && !('module' in held)) {
          patched[key] = { module: 'keras.layers', ...held, registered_name: null };
        }
      }
      return { ...layer, config: patched } as Json;
    }),
  };
}

/** The bytes of model.save('x.h5') for this model (with opts.compile, its training_config). */
export async function writeH5Model(model: LayerModel, opts: WriteOptions = {}): Promise<Uint8Array> {
  const json = modelToJSON(model);
  const modelConfig = pythonJson({ class_name: json.class_name, config: withInnerModules(json.config as Json) });
  const training = opts.compile ? pythonJson(trainingConfig(opts.compile)) : undefined;
  return writeH5((root) => {
    root.create_attribute('keras_version', LEGACY_KERAS_VERSION);
    root.create_attribute('backend', LEGACY_BACKEND);
    root.create_attribute('model_config', modelConfig);
    if (training !== undefined) root.create_attribute('training_config', training);
    writeLegacyWeights(root.create_group('model_weights'), model);
  });
}

function parseJson(text: string, attr: string, where: string): unknown {
  if (text.length > MAX_CONFIG_CHARS) fail(where, `its ${attr} has ${text.length} characters, more than the ${MAX_CONFIG_CHARS} read here.`);
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(where, `its ${attr} attribute is not JSON (${clip(error instanceof Error ? error.message : String(error), 100)}).`);
  }
}

/** compile() args from a training_config, or a note saying why they were not kept. */
function readTrainingConfig(text: string, where: string, notes: string[]): CompileArgs | undefined {
  const config = parseJson(text, 'training_config', where);
  if (config === null || typeof config !== 'object') {
    notes.push('training_config is not an object: compile() settings not read.');
    return undefined;
  }
  const c = config as Partial<KerasCompileConfig> & { weighted_metrics?: unknown };
  if (c.weighted_metrics !== null && c.weighted_metrics !== undefined) notes.push('training_config: weighted_metrics are not supported and were dropped.');
  try {
    return compileFromKeras(c);
  } catch (error) {
    notes.push(`training_config not used: ${clip(error instanceof Error ? error.message : String(error), 160)}`);
    return undefined;
  }
}

/** A model, its weights and compile() settings from a legacy full-model .h5. */
export async function readH5Model(bytes: Uint8Array): Promise<LoadedModel> {
  const where = 'Reading a Keras .h5 model';
  return readH5(bytes, where, (root) => {
    const configText = stringAttr(root, 'model_config', where);
    if (configText === undefined) {
      if (getGroup(root, 'layers') || legacyWeightsGroup(root, where)) {
        fail(where, 'this file holds only weights (no model_config). Build or open the model first, then load these weights into it.');
      }
      fail(where, 'this HDF5 file is not a Keras model: it has no model_config attribute.');
    }
    const model = modelFromJSON(parseJson(configText, 'model_config', where));
    const notes: string[] = [];
    const weights = getGroup(root, 'model_weights');
    if (weights) {
      const found = readLegacyWeights(weights, model, where);
      model.setWeights(model.graphLayers.flatMap((l) => l.weights.map((w) => found.get(w)!)));
    } else {
      notes.push('The file has no model_weights group: the weights are freshly initialized.');
    }
    const trainingText = stringAttr(root, 'training_config', where);
    const compile = trainingText === undefined ? undefined : readTrainingConfig(trainingText, where, notes);
    const optimizer = getGroup(root, 'optimizer_weights');
    if (optimizer) {
      const count = stringListAttr(optimizer, 'weight_names', where)?.length ?? 0;
      notes.push(`The optimizer's saved state (optimizer_weights, ${count} arrays) is not loaded: training starts the optimizer afresh.`);
    }
    const loaded: LoadedModel = { model, weightsLoaded: weights !== null, format: H5_MODEL_FORMAT, notes };
    if (compile) loaded.compile = compile;
    return loaded;
  });
}
