// Keras 3's weights file: model.save_weights('x.weights.h5'), the same layout as the
// model.weights.h5 inside a .keras zip. Keras 3.15 writes one group per layer of model.layers
// under layers/, keyed by the layer's class in snake_case, numbered in order when repeated
// (layers/conv2d, layers/conv2d_1; not by the layer's name), each with a vars group (attribute
// name = the layer's name) of datasets 0, 1, ... in the layer's variable order. Layers holding
// layers keep theirs below: an LSTM's under cell/vars, Bidirectional's under forward_layer/ and
// backward_layer/, TimeDistributed's under layer/. The model's own (empty) vars group sits at
// the root; an optimizer group, when Keras saved one, is not read.
// readWeightsH5 also takes a legacy weights .h5 (tf.keras 2.x save_weights, or the model_weights
// of a full-model .h5): see h5LegacyWeights.ts. Either way every weight is found and checked
// before any is written.

import type { LayerModel } from '../functional.ts';
import type { Layer } from '../layer.ts';
import type { Bidirectional, TimeDistributed } from '../layers/wrappers.ts';
import type { LayerWeight } from '../weight.ts';
import { LIMITS, clip, fail } from '../validate.ts';
import { getDataset, getGroup, groupKeys, readH5, readWeight, stringAttr, writeFloats, writeH5, type H5Group, type WeightValues } from './hdf5.ts';
import { legacyWeightsGroup, readLegacyWeights } from './h5LegacyWeights.ts';

/** A vars group of Keras 3's layout: its path below the layer's group, its name attribute and weights. */
interface VarGroup {
  path: string;
  name: string;
  weights: LayerWeight[];
}

const RNN_CELLS: Record<string, string> = { SimpleRNN: 'simple_rnn_cell', LSTM: 'lstm_cell', GRU: 'gru_cell' };

/** Keras's naming.to_snake_case: "MaxPooling2D" -> "max_pooling2d", "PReLU" -> "p_re_lu". */
export function classSnakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Keras 3 saves a layer's variables trainable ones first (_trainable_variables + _non_trainable_variables). */
function saveOrder(weights: readonly LayerWeight[]): LayerWeight[] {
  return [...weights.filter((w) => w.trainable), ...weights.filter((w) => !w.trainable)];
}

/** Where Keras 3 keeps a layer's weights, relative to the layer's group. */
function varGroups(layer: Layer, weights: readonly LayerWeight[] = layer.weights, name = layer.name): VarGroup[] {
  if (layer.className in RNN_CELLS) {
    return [{ path: 'vars', name, weights: [] }, { path: 'cell/vars', name: RNN_CELLS[layer.className]!, weights: [...weights] }];
  }
  if (layer.className === 'Bidirectional') {
    const bi = layer as Bidirectional;
    const split = bi.forwardLayer.weights.length;
    const inside = (prefix: string, held: Layer, ws: readonly LayerWeight[]) =>
      varGroups(held, ws).map((g) => ({ ...g, path: `${prefix}/${g.path}` }));
    return [
      { path: 'vars', name, weights: [] },
      ...inside('forward_layer', bi.forwardLayer, weights.slice(0, split)),
      ...inside('backward_layer', bi.backwardLayer, weights.slice(split)),
    ];
  }
  if (layer.className === 'TimeDistributed') {
    const held = (layer as TimeDistributed).layer;
    return [{ path: 'vars', name, weights: [] }, ...varGroups(held, weights).map((g) => ({ ...g, path: `layer/${g.path}` }))];
  }
  return [{ path: 'vars', name, weights: saveOrder(weights) }];
}

/** model.layers with their keys under layers/ (Keras's _save_container_state numbering). */
function layerKeys(model: LayerModel): { layer: Layer; key: string }[] {
  const used = new Map<string, number>();
  return model.layers.map((layer) => {
    const base = classSnakeCase(layer.className);
    const seen = used.get(base);
    used.set(base, seen === undefined ? 0 : seen + 1);
    return { layer, key: seen === undefined ? base : `${base}_${seen + 1}` };
  });
}

function groupPath(root: H5Group, path: string): H5Group {
  let group = root;
  for (const part of path.split('/')) group = getGroup(group, part) ?? group.create_group(part);
  return group;
}

/** The bytes of model.save_weights('x.weights.h5') for this model. */
export async function writeWeightsH5(model: LayerModel): Promise<Uint8Array> {
  const plan = layerKeys(model).map(({ layer, key }) => ({ key, groups: varGroups(layer) }));
  const values = new Map(model.layers.flatMap((l) => l.weights.map((w) => [w, w.values] as const)));
  return writeH5((root) => {
    const layers = root.create_group('layers');
    for (const { key, groups } of plan) {
      const layerGroup = layers.create_group(key);
      for (const g of groups) {
        const vars = groupPath(layerGroup, g.path);
        vars.create_attribute('name', g.name);
        g.weights.forEach((w, i) => writeFloats(vars, String(i), values.get(w)!, w.shape));
      }
    }
    root.create_group('vars').create_attribute('name', model.name);
  });
}

/** Fills the model's weights from a Keras 3 .weights.h5 or a legacy weights .h5; checks all before writing any. */
export async function readWeightsH5(model: LayerModel, bytes: Uint8Array): Promise<void> {
  const where = `readWeightsH5 into "${model.name}"`;
  const found = await readH5(bytes, where, (root) => {
    const layers = getGroup(root, 'layers') ?? getGroup(root, '_layer_checkpoint_dependencies');
    if (layers) return readKeras3(layers, model, where);
    const legacy = legacyWeightsGroup(root, where);
    if (legacy) return readLegacyWeights(legacy, model, where);
    return fail(where, `this HDF5 file holds no Keras weights: it has no "layers" group (Keras 3 .weights.h5) and no "layer_names" attribute (a legacy .h5).`);
  });
  model.setWeights(model.graphLayers.flatMap((l) => l.weights.map((w) => found.get(w)!)));
}

function readKeras3(layersGroup: H5Group, model: LayerModel, where: string): WeightValues {
  const found: WeightValues = new Map();
  const keys = layerKeys(model);
  for (const { layer, key } of keys) {
    for (const g of varGroups(layer)) {
      const vars = getGroup(layersGroup, `${key}/${g.path}`);
      const at = `layers/${key}/${g.path}`;
      const count = vars ? groupKeys(vars, where, LIMITS.maxLayers).length : 0;
      if (g.weights.length > 0 && !vars) {
        fail(where, `layer "${layer.name}" (${layer.className}) has ${g.weights.length} weights but the file has no group ${at}; it was saved from a model with other layers.`);
      }
      if (count !== g.weights.length) {
        fail(where, `layer "${layer.name}" (${layer.className}) has ${g.weights.length} weights in ${at}, the file has ${count} there.`);
      }
      g.weights.forEach((w, i) => found.set(w, readWeight(vars ? getDataset(vars, String(i)) : null, layer, w, `${at}/${i}`, where)));
    }
  }
  // A layer group the model has no layer for, holding weights, is another model's file.
  const known = new Set(keys.map((k) => k.key));
  for (const key of groupKeys(layersGroup, where, LIMITS.maxLayers)) {
    if (known.has(key)) continue;
    const group = getGroup(layersGroup, key);
    if (group && holdsData(group)) {
      const vars = getGroup(group, 'vars');
      const name = vars ? stringAttr(vars, 'name', where) : undefined;
      fail(where, `the file has weights for a layer the model lacks: layers/${key}${name ? ` ("${clip(name, 60)}")` : ''}. The model's layers are saved as ${keys.map((k) => k.key).join(', ')}.`);
    }
  }
  return found;
}

/**
 * Whether a group holds a dataset within a few levels (Keras nests at most layer/cell/vars). At
 * most 256 entries are looked at in all, so a hostile tree (wide, or deep) costs nothing.
 */
function holdsData(group: H5Group, budget = { left: 256 }, depth = 0): boolean {
  if (depth > 4) return false;
  for (const key of group.keys()) {
    if (--budget.left < 0) return false;
    if (getDataset(group, key)) return true;
    const child = getGroup(group, key);
    if (child && holdsData(child, budget, depth + 1)) return true;
  }
  return false;
}
