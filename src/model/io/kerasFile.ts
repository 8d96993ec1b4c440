// The Keras 3 .keras file, whole: the zip (kerasArchive.ts) holding config.json (keras3Json.ts)
// and model.weights.h5 (weightsH5.ts). Reading builds the model from config.json, loads the
// weights onto it (checked before any is written) and keeps compile_config as compile() settings;
// an optimizer's saved state is read past with a note, since training here starts it afresh.

import type { LayerModel } from '../functional.ts';
import type { JsonObject } from '../kerasConfig.ts';
import { modelFromJSON } from '../serialize.ts';
import { clip, fail } from '../validate.ts';
import { compileFromKeras3, modelToKeras3Json } from './keras3Json.ts';
import { packKerasArchive, unpackKerasArchive } from './kerasArchive.ts';
import type { LoadedModel, WriteOptions } from './types.ts';
import { readWeightsH5, writeWeightsH5 } from './weightsH5.ts';

export async function writeKerasFile(model: LayerModel, opts: WriteOptions = {}): Promise<Uint8Array> {
  const config = modelToKeras3Json(model, opts.compile);
  return packKerasArchive({ config, weights: await writeWeightsH5(model) });
}

export async function readKerasFile(bytes: Uint8Array, name = 'model.keras'): Promise<LoadedModel> {
  let archive;
  try {
    archive = await unpackKerasArchive(bytes);
  } catch (error) {
    fail(name, (error as Error).message);
  }
  let model: LayerModel;
  try {
    model = modelFromJSON(archive.config);
  } catch (error) {
    fail(name, `holds a config.json we cannot build: ${(error as Error).message}`);
  }
  try {
    await readWeightsH5(model, archive.weights);
  } catch (error) {
    fail(name, `holds weights that do not fit its own config.json: ${(error as Error).message}`);
  }
  const notes: string[] = [];
  let compile;
  try {
    compile = compileFromKeras3(archive.config);
  } catch (error) {
    notes.push(`compile_config not kept: ${clip((error as Error).message)}`);
  }
  const version = (archive.metadata as JsonObject).keras_version;
  const format = `Keras .keras file${typeof version === 'string' ? ` (Keras ${clip(version, 20)})` : ''}`;
  return { model, weightsLoaded: true, format, notes, ...(compile ? { compile } : {}) };
}
