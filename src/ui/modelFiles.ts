// A model as files: model.json (the Keras model JSON plus our weight manifest) and weights.bin.
// Reading checks everything with the model API before anything changes: a file that is not a
// valid model is rejected with a clear message.

import { modelFromJSON, type WeightManifestEntry } from '../model/index.ts';
import { PLAYGROUND_FORMAT } from '../model/io/types.ts';
import { specFromModel, type ModelSpec } from '../worker/modelSpec.ts';

export const FORMAT = PLAYGROUND_FORMAT;

export interface ModelFile {
  format: string;
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: WeightManifestEntry[] }[];
}

export function modelFile(modelJson: unknown, manifest: WeightManifestEntry[]): ModelFile {
  return { format: FORMAT, modelTopology: modelJson, weightsManifest: [{ paths: ['weights.bin'], weights: manifest }] };
}

export interface LoadedModel {
  spec: ModelSpec;
  /** Present when weights came with the model. */
  weights?: { manifest: WeightManifestEntry[]; data: ArrayBuffer };
}

const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Checks a model JSON (ours, a Keras to_json() or a TF.js model.json) and optional weights; throws a readable error. */
export function readModel(json: unknown, weights: ArrayBuffer | null, source: string): LoadedModel {
  let topology = json;
  let manifest: WeightManifestEntry[] | null = null;
  if (typeof json === 'object' && json !== null && (json as ModelFile).format === FORMAT) {
    const f = json as ModelFile;
    topology = f.modelTopology;
    const group = Array.isArray(f.weightsManifest) ? f.weightsManifest[0] : undefined;
    manifest = group && Array.isArray(group.weights) ? group.weights : null;
  }
  let model;
  try {
    model = modelFromJSON(topology);
  } catch (e) {
    throw new Error(`${source} is not a valid model: ${why(e)}`, { cause: e });
  }
  let spec: ModelSpec;
  try {
    spec = specFromModel(model);
  } catch (e) {
    throw new Error(`${source} holds a model the editor cannot show: ${why(e)}`, { cause: e });
  }
  if (!weights) return { spec };
  if (!manifest) throw new Error(`${source} has no weightsManifest, so the weights file cannot be read with it.`);
  try {
    model.loadWeights(manifest, weights);
  } catch (e) {
    throw new Error(`The weights do not fit the model: ${why(e)}`, { cause: e });
  }
  return { spec, weights: { manifest, data: weights } };
}

export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8's message quotes the text it could not parse, which may be megabytes.
    throw new Error(`${source} is not JSON: ${why(e).slice(0, 200)}`, { cause: e });
  }
}

export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
