// Weights as one binary blob (float32, little-endian, concatenated in model
// order) plus a JSON manifest of names, shapes and byte offsets, the shape of
// a TF.js weights manifest. Loading checks everything before writing anything.

import type { LayerModel } from './model.ts';
import { fail, describe } from './validate.ts';

export interface WeightManifestEntry {
  /** "layer/weight", e.g. "dense/kernel". */
  name: string;
  shape: number[];
  offset: number;
  byteLength: number;
}

export interface SavedWeights {
  manifest: WeightManifestEntry[];
  data: ArrayBuffer;
}

function modelWeights(model: LayerModel): { name: string; shape: number[]; values: Float32Array }[] {
  return model.graphLayers.flatMap((layer) =>
    layer.weights.map((w) => ({ name: `${layer.name}/${w.name}`, shape: [...w.shape], values: w.values })));
}

export function saveWeights(model: LayerModel): SavedWeights {
  const weights = modelWeights(model);
  const manifest: WeightManifestEntry[] = [];
  let offset = 0;
  for (const w of weights) {
    manifest.push({ name: w.name, shape: w.shape, offset, byteLength: w.values.length * 4 });
    offset += w.values.length * 4;
  }
  const data = new ArrayBuffer(offset);
  const view = new DataView(data);
  weights.forEach((w, i) => {
    const base = manifest[i]!.offset;
    for (let j = 0; j < w.values.length; j++) view.setFloat32(base + j * 4, w.values[j]!, true);
  });
  return { manifest, data };
}

/** Names for a message: a hostile manifest may list millions. */
function listNames(names: string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, 10).map((n) => describe(n)).join(', ');
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}

export function loadWeights(model: LayerModel, manifest: unknown, data: ArrayBuffer | Uint8Array): void {
  const where = `loadWeights into "${model.name}"`;
  if (!Array.isArray(manifest)) fail(where, `the manifest must be a list of {name, shape, offset, byteLength}.`);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = new Map<string, WeightManifestEntry>();
  for (const e of manifest as WeightManifestEntry[]) {
    if (typeof e !== 'object' || e === null || typeof e.name !== 'string') fail(where, `bad manifest entry ${describe(e)}.`);
    if (entries.has(e.name)) fail(where, `the manifest lists ${describe(e.name)} twice.`);
    entries.set(e.name, e);
  }
  const weights = modelWeights(model);
  const plan = weights.map((w) => {
    const e = entries.get(w.name);
    if (!e) fail(where, `the manifest has no weight "${w.name}" (it has ${listNames([...entries.keys()])}).`);
    const shapeOk = Array.isArray(e.shape) && e.shape.length === w.shape.length && e.shape.every((d, i) => d === w.shape[i]);
    if (!shapeOk) fail(where, `"${w.name}" has shape [${w.shape.join(', ')}] in the model but ${describe(e.shape)} in the manifest.`);
    if (e.byteLength !== w.values.length * 4) fail(where, `"${w.name}" needs ${w.values.length * 4} bytes, the manifest says ${describe(e.byteLength)}.`);
    if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset + e.byteLength > bytes.byteLength) {
      fail(where, `"${w.name}" at offset ${describe(e.offset)} + ${e.byteLength} bytes lies outside the ${bytes.byteLength}-byte blob.`);
    }
    return { w, offset: e.offset };
  });
  if (entries.size !== weights.length) {
    const extra = [...entries.keys()].filter((n) => !weights.some((w) => w.name === n));
    fail(where, `the manifest has weights the model lacks: ${listNames(extra)}.`);
  }
  // A longer blob is not these weights (another model's file, or a damaged one): refuse it too.
  const end = plan.reduce((m, { w, offset }) => Math.max(m, offset + w.values.length * 4), 0);
  if (bytes.byteLength !== end) {
    fail(where, `the weights blob has ${bytes.byteLength} bytes but the manifest describes ${end}; it does not belong to this manifest.`);
  }
  for (const { w, offset } of plan) {
    const values = w.values;
    for (let j = 0; j < values.length; j++) values[j] = view.getFloat32(offset + j * 4, true);
  }
}
