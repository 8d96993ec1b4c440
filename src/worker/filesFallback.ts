// TEMPORARY stand-in for src/model/io/files.ts (another branch), with its signatures, so the
// page's open/download paths work before it is merged: model.json (ours, Keras to_json(), TF.js)
// with weights.bin, Python code, and writing Keras JSON and Python. The lead deletes this
// file and points modelFiles.ts at '../model/io/files.ts'.

import type { LayerModel } from '../model/functional.ts';
import { modelFromJSON, modelToJSON, toKerasPython, type WeightManifestEntry } from '../model/index.ts';
import { readPython } from '../model/io/python/index.ts';
import type { LoadedModel, NamedBytes, NamingLayout, WriteFormat, WriteOptions } from '../model/io/types.ts';

const OURS = 'webgpu-keras-playground/1';
const text = (f: NamedBytes): string => new TextDecoder().decode(f.data);

export async function readModelFiles(files: NamedBytes[], opts: { layout?: NamingLayout; onto?: LayerModel } = {}): Promise<LoadedModel> {
  const py = files.find((f) => f.name.endsWith('.py'));
  if (py) return readPython(text(py), opts.layout ? { layout: opts.layout } : {});
  const json = files.find((f) => f.name.endsWith('.json'));
  if (!json) throw new Error(`${files.map((f) => f.name).join(', ')}: this build reads model.json (+ its .bin weights) and .py only so far.`);
  let parsed: { format?: string; modelTopology?: unknown; weightsManifest?: { weights?: WeightManifestEntry[] }[] };
  try {
    parsed = JSON.parse(text(json));
  } catch (e) {
    throw new Error(`${json.name} is not JSON: ${(e instanceof Error ? e.message : String(e)).slice(0, 200)}`, { cause: e });
  }
  const ours = parsed?.format === OURS;
  const model = modelFromJSON(ours ? parsed.modelTopology : parsed);
  const bin = files.find((f) => f.name.endsWith('.bin'));
  const manifest = ours ? parsed.weightsManifest?.[0]?.weights : undefined;
  if (bin && manifest) model.loadWeights(manifest, bin.data);
  return { model, weightsLoaded: Boolean(bin && manifest), format: ours ? 'model.json' : 'Keras JSON', notes: [] };
}

export async function writeModelFiles(model: LayerModel, format: WriteFormat, opts: WriteOptions = {}): Promise<NamedBytes[]> {
  const base = opts.baseName ?? model.name;
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
  if (format === 'json') return [{ name: `${base}.json`, data: bytes(JSON.stringify(modelToJSON(model))) }];
  if (format === 'python') return [{ name: `${base}.py`, data: bytes(toKerasPython(model, opts.compile)) }];
  throw new Error(`Writing ${format} files arrives with the model file formats (not merged into this build yet).`);
}
