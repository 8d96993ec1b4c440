// The legacy HDF5 weights layout (tf.keras 2.x, kept by Keras 3 for .h5 files): a group with
// attribute layer_names, one group per layer with attribute weight_names, each weight a dataset at
// <layer>/<weight name>. It is the model_weights group of a full-model .h5, and the root of a
// weights-only .h5 (tf.keras's model.save_weights('x.h5')). Loading follows Keras's by_name=False
// rule: the i-th layer with weights in the file fills the i-th layer with weights of the model,
// its weights in order (trainable first); the names in the file are only keys.
// We write the tf.keras 2.6 spelling ('dense/kernel:0'), matching modelToJSON's model_config.

import type { LayerModel } from '../functional.ts';
import type { Layer } from '../layer.ts';
import type { LayerWeight } from '../weight.ts';
import { clip, fail } from '../validate.ts';
import { getDataset, getGroup, readWeight, stringListAttr, writeFloats, type H5Group, type WeightValues } from './hdf5.ts';

export const LEGACY_KERAS_VERSION = '2.6.0';
export const LEGACY_BACKEND = 'tensorflow';
/** HDF5's object header limit, over which Keras splits a list attribute into name0, name1, ... */
const HEADER_LIMIT = 64512;

/** Keras's _legacy_weights(layer): trainable weights, then the others. */
function legacyOrder(layer: Layer): LayerWeight[] {
  if (!layer.trainable) return [...layer.weights];
  return [...layer.weights.filter((w) => w.trainable), ...layer.weights.filter((w) => !w.trainable)];
}

/** The group holding layer_names: the root of a weights-only file or a full model's model_weights. */
export function legacyWeightsGroup(root: H5Group, where: string): H5Group | null {
  if (stringListAttr(root, 'layer_names', where) !== undefined) return root;
  const inner = getGroup(root, 'model_weights');
  return inner && stringListAttr(inner, 'layer_names', where) !== undefined ? inner : null;
}

function listText(names: readonly string[]): string {
  const shown = names.slice(0, 12).map((n) => clip(n, 40)).join(', ');
  return names.length > 12 ? `${shown} and ${names.length - 12} more` : shown || 'none';
}

export function readLegacyWeights(group: H5Group, model: LayerModel, where: string): WeightValues {
  const layerNames = stringListAttr(group, 'layer_names', where) ?? [];
  const withWeights = model.layers.filter((l) => l.weights.length > 0);
  const saved: { name: string; group: H5Group; weightNames: string[] }[] = [];
  for (const name of layerNames) {
    const g = getGroup(group, name);
    if (!g) fail(where, `layer_names lists "${clip(name, 60)}" but the file has no group of that name.`);
    const weightNames = stringListAttr(g, 'weight_names', where) ?? [];
    if (weightNames.length > 0) saved.push({ name, group: g, weightNames });
    // Counted as they come, so a file listing a million layers stops here.
    if (saved.length > withWeights.length) break;
  }
  if (saved.length !== withWeights.length) {
    fail(where, `the model has ${withWeights.length} layers with weights (${listText(withWeights.map((l) => l.name))}), `
      + `the file ${saved.length > withWeights.length ? 'more' : `${saved.length}`} (${listText(saved.map((s) => s.name))}). Keras matches them in order.`);
  }
  const found: WeightValues = new Map();
  withWeights.forEach((layer, k) => {
    const { name, group: g, weightNames } = saved[k]!;
    const expected = legacyOrder(layer);
    if (weightNames.length !== expected.length) {
      fail(where, `layer "${layer.name}" (${layer.className}) has ${expected.length} weights (${expected.map((w) => w.name).join(', ')}), `
        + `the file's layer "${clip(name, 60)}" has ${weightNames.length} (${listText(weightNames)}).`);
    }
    expected.forEach((w, i) => {
      const path = weightNames[i]!;
      found.set(w, readWeight(getDataset(g, path), layer, w, `${clip(name, 60)}/${clip(path, 80)}`, where));
    });
  });
  return found;
}

/** A list of strings as an attribute, split as Keras splits one over HDF5's header limit. */
export function writeStringList(obj: H5Group, name: string, values: readonly string[]): void {
  if (values.length === 0) {
    // What Keras writes for none: np.asarray([]), an empty float64 array.
    obj.create_attribute(name, new Float64Array(0), [0], '<d');
    return;
  }
  const widest = Math.max(...values.map((v) => new TextEncoder().encode(v).length));
  let chunks = 1;
  while (Math.ceil(values.length / chunks) * widest > HEADER_LIMIT && chunks < values.length) chunks++;
  if (chunks === 1) {
    obj.create_attribute(name, [...values]);
    return;
  }
  const size = Math.ceil(values.length / chunks);
  for (let i = 0; i * size < values.length; i++) obj.create_attribute(`${name}${i}`, values.slice(i * size, (i + 1) * size));
}

/** Writes the model's layers into `group` (model_weights of a full-model .h5) as tf.keras 2.6 does. */
export function writeLegacyWeights(group: H5Group, model: LayerModel): void {
  writeStringList(group, 'layer_names', model.layers.map((l) => l.name));
  group.create_attribute('backend', LEGACY_BACKEND);
  group.create_attribute('keras_version', LEGACY_KERAS_VERSION);
  for (const layer of model.layers) {
    const g = group.create_group(layer.name);
    const weights = legacyOrder(layer);
    const names = weights.map((w) => `${layer.name}/${w.name}:0`);
    writeStringList(g, 'weight_names', names);
    weights.forEach((w, i) => {
      const parts = names[i]!.split('/');
      let parent = g;
      for (const part of parts.slice(0, -1)) parent = getGroup(parent, part) ?? parent.create_group(part);
      writeFloats(parent, parts[parts.length - 1]!, w.values, w.shape);
    });
  }
}
