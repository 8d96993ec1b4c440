// A TF.js weightsManifest's weights matched to a model's, as tfjs-layers matches them: by name
// (a ':0' suffix dropped; 'gru/gru_cell/kernel' and 'gru/kernel' are the same weight, TF.js
// naming recurrent cells' weights after the layer), each group's weights laid end to end over
// its shards. Everything is checked (names, shapes, dtypes, byte counts) before any weight is
// written, so a bad file leaves the model as it was.

import type { LayerModel } from '../functional.ts';
import { LIMITS, describe, fail } from '../validate.ts';

export interface ManifestWeight {
  name: string;
  shape: number[];
  dtype?: string;
  /** 'optimizer' for the optimizer state TF.js's model.save({includeOptimizer: true}) appends. */
  group?: string;
  /** TF.js's post-training quantization: value = q * scale + min for uint8/uint16; float16 as is. */
  quantization?: { dtype: string; scale?: number; min?: number };
}

export interface WeightGroup {
  weights: ManifestWeight[];
  /** The group's shards, concatenated in paths order. */
  data: Uint8Array;
  files: string[];
}

interface Located {
  entry: ManifestWeight;
  data: Uint8Array;
  offset: number;
  count: number;
}

/** Weights our layers name as Keras 3 does but tf.keras 2 (and so TF.js) names otherwise. */
const TF_KERAS_2_NAMES: Record<string, Record<string, string>> = {
  DepthwiseConv2D: { kernel: 'depthwise_kernel' },
};

export function tfjsWeightName(className: string, weight: string): string {
  return TF_KERAS_2_NAMES[className]?.[weight] ?? weight;
}

/** tfjs-layers's fallback: the path without its second-to-last part ('lstm/lstm_cell/kernel' -> 'lstm/kernel'). */
function shortened(name: string): string {
  const parts = name.split('/');
  return parts.length < 3 ? name : [...parts.slice(0, -2), parts[parts.length - 1]].join('/');
}

const bareName = (name: string): string => name.replace(/:0$/, '');

function bytesPerElement(entry: ManifestWeight, where: string): number {
  const q = entry.quantization;
  if (q !== undefined) {
    if (typeof q !== 'object' || q === null) fail(where, `quantization must be an object, got ${describe(q)}.`);
    for (const key of ['scale', 'min'] as const) {
      if (q[key] !== undefined && !Number.isFinite(q[key])) fail(where, `quantization ${key} must be a number, got ${describe(q[key])}.`);
    }
    if (q.dtype === 'uint8') return 1;
    if (q.dtype === 'uint16' || q.dtype === 'float16') return 2;
    fail(where, `quantization dtype ${describe(q.dtype)} is not one TF.js writes (uint8, uint16, float16).`);
  }
  const dtype = entry.dtype ?? 'float32';
  if (dtype === 'float32' || dtype === 'int32') return 4;
  fail(where, `dtype ${describe(dtype)} cannot be a layer weight; expected float32.`);
}

function elementCount(shape: unknown, where: string): number {
  if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    fail(where, `shape must be a list of sizes, got ${describe(shape)}.`);
  }
  const count = (shape as number[]).reduce((n, d) => n * d, 1);
  if (count > LIMITS.maxWeightElements) fail(where, `shape ${describe(shape)} has more than ${LIMITS.maxWeightElements} elements.`);
  return count;
}

/** Places every manifest weight in its group's bytes, checking the group's size adds up. */
function locate(groups: WeightGroup[], where: string): Map<string, Located> {
  const found = new Map<string, Located>();
  groups.forEach((group, g) => {
    const files = group.files.join(' + ');
    let offset = 0;
    for (const entry of group.weights) {
      if (typeof entry !== 'object' || entry === null || typeof entry.name !== 'string') fail(where, `weightsManifest[${g}] has a bad entry ${describe(entry)}.`);
      const at = `${where} weight ${describe(entry.name)}`;
      const count = elementCount(entry.shape, at);
      const size = count * bytesPerElement(entry, at);
      const name = bareName(entry.name);
      offset += size;
      if (entry.group === 'optimizer') continue;
      if (found.has(name)) fail(where, `the manifest lists the weight ${describe(name)} twice.`);
      found.set(name, { entry, data: group.data, offset: offset - size, count });
    }
    if (offset !== group.data.byteLength) {
      fail(where, `${files} ${group.data.byteLength > offset ? 'have' : 'has only'} ${group.data.byteLength} bytes but the manifest's weights take ${offset}; the .bin files do not belong to this model.json (or are truncated).`);
    }
  });
  return found;
}

/** Checks everything and returns the write; nothing changes until it is called. */
export function planWeights(model: LayerModel, groups: WeightGroup[], where: string): () => void {
  const found = locate(groups, where);
  const byShort = new Map<string, string>();
  for (const name of found.keys()) byShort.set(shortened(name), name);
  const used = new Set<string>();
  const writes = model.graphLayers.flatMap((layer) =>
    layer.weights.map((w) => {
      const names = [`${layer.name}/${w.name}`, `${layer.name}/${tfjsWeightName(layer.className, w.name)}`];
      const name = names[0]!;
      const key = names.flatMap((n) => [n, shortened(n)]).find((n) => found.has(n)) ?? names.map((n) => byShort.get(n)).find((n) => n !== undefined);
      if (key === undefined || used.has(key)) {
        const names = [...found.keys()];
        fail(where, `has no weight "${name}" for the model (it has ${names.slice(0, 8).map((n) => describe(n)).join(', ')}${names.length > 8 ? ` and ${names.length - 8} more` : ''}).`);
      }
      used.add(key);
      const located = found.get(key)!;
      const shape = located.entry.shape;
      if (shape.length !== w.shape.length || shape.some((d, i) => d !== w.shape[i])) {
        fail(where, `"${key}" has shape ${describe(shape)} in the manifest but [${w.shape.join(', ')}] in the model.`);
      }
      return { values: w.values, located };
    }));
  const unused = [...found.keys()].filter((n) => !used.has(n));
  if (unused.length > 0) fail(where, `has weights the model lacks: ${unused.slice(0, 8).map((n) => describe(n)).join(', ')}${unused.length > 8 ? ` and ${unused.length - 8} more` : ''}.`);
  return () => {
    for (const { values, located } of writes) decode(located, values);
  };
}

function decode({ entry, data, offset, count }: Located, out: Float32Array): void {
  const view = new DataView(data.buffer, data.byteOffset + offset, data.byteLength - offset);
  const q = entry.quantization;
  if (q?.dtype === 'uint8' || q?.dtype === 'uint16') {
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    for (let j = 0; j < count; j++) out[j] = (q.dtype === 'uint8' ? view.getUint8(j) : view.getUint16(j * 2, true)) * scale + min;
  } else if (q?.dtype === 'float16') {
    for (let j = 0; j < count; j++) out[j] = half(view.getUint16(j * 2, true));
  } else if (entry.dtype === 'int32') {
    for (let j = 0; j < count; j++) out[j] = view.getInt32(j * 4, true);
  } else {
    for (let j = 0; j < count; j++) out[j] = view.getFloat32(j * 4, true);
  }
}

/** IEEE 754 half precision to a number. */
function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
