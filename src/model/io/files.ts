// Every model file format behind two calls: readModelFiles (files in, a model out) and
// writeModelFiles (a model in, files out). The format comes from the file name; a .json file is
// then told apart by what it holds (a TF.js model.json, the playground's model file, or a Keras
// to_json() of any version). One table entry per format.

import type { LayerModel } from '../functional.ts';
import { modelToJSON, modelToJSONString } from '../modelJson.ts';
import { modelFromJSON } from '../serialize.ts';
import { compileArgsFromModelJson } from '../train/compileConfig.ts';
import type { CompileArgs } from '../train/config.ts';
import { clip, describe, fail } from '../validate.ts';
import { readH5Model, writeH5Model } from './h5Model.ts';
import { readKerasFile, writeKerasFile } from './kerasFile.ts';
import { compileFromKeras3, keras3JsonString } from './keras3Json.ts';
import { readPython } from './python/index.ts';
import { writePythonFile } from './pythonFile.ts';
import { isTfjsModelJson, parseJsonBytes, readTfjs, writeTfjs } from './tfjs.ts';
import { readWeightsH5, writeWeightsH5 } from './weightsH5.ts';
import { PLAYGROUND_FORMAT, type LoadedModel, type NamedBytes, type NamingLayout, type WriteFormat, type WriteOptions } from './types.ts';

export { PLAYGROUND_FORMAT };

/** What a file is, by its name: .weights.h5 is tested before .h5. */
export type FileFormat = 'keras' | 'weights.h5' | 'h5' | 'json' | 'python' | 'tfjs-shard';

const BY_EXTENSION: readonly [FileFormat, RegExp][] = [
  ['keras', /\.keras$/i],
  ['weights.h5', /\.weights\.h5$/i],
  ['h5', /\.(h5|hdf5)$/i],
  ['json', /\.json$/i],
  ['python', /\.py$/i],
  ['tfjs-shard', /\.bin$/i],
];

const ACCEPTED = '.keras, .h5, .hdf5, .weights.h5, .json (Keras JSON or a TF.js model.json with its .bin files), .py';


/** Files read at once, together, at most: 1 GiB of weights (LIMITS.maxWeightElements floats) and their JSON. */
export const MAX_TOTAL_BYTES = 1024 * 1024 * 1024 + 64 * 1024 * 1024;

export function formatOf(name: string): FileFormat | null {
  return BY_EXTENSION.find(([, pattern]) => pattern.test(name))?.[0] ?? null;
}

export interface ReadOptions {
  /** Keras's automatic names for the layers Python code leaves unnamed. */
  layout?: NamingLayout;
  /** A model for a lone .weights.h5 to load into. */
  onto?: LayerModel;
}

interface ReadContext {
  /** The TF.js shards given with a model.json. */
  shards: NamedBytes[];
  layout: NamingLayout;
}

type MainFormat = 'keras' | 'h5' | 'json' | 'python';
type Reader = (file: NamedBytes, ctx: ReadContext) => LoadedModel | Promise<LoadedModel>;

const READERS: { [K in MainFormat]: Reader } = {
  keras: (file) => readKerasFile(file.data, file.name),
  h5: (file) => readH5Model(file.data),
  python: (file, ctx) => readPython(decodeText(file), { layout: ctx.layout }),
  json: readJson,
};

async function loadWeightsH5(model: LayerModel, file: NamedBytes): Promise<void> {
  try {
    await readWeightsH5(model, file.data);
  } catch (error) {
    fail(file.name, (error as Error).message);
  }
}

/** What a parsed .json file holds: a TF.js model.json, the playground's model file, or (else) a Keras to_json(). */
export function jsonFormatOf(json: unknown): 'tfjs' | 'playground' | 'keras-json' {
  if (typeof json === 'object' && json !== null && (json as { format?: unknown }).format === PLAYGROUND_FORMAT) return 'playground';
  return isTfjsModelJson(json) ? 'tfjs' : 'keras-json';
}

function decodeText(file: NamedBytes): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file.data);
  } catch {
    fail(file.name, `is not UTF-8 text; Python code is read as text.`);
  }
}

/** compile() settings: Keras 3's compile_config, or tf.keras's training_config. */
function readJsonCompile(json: unknown): CompileArgs | undefined {
  const j = json as { compile_config?: unknown };
  if (typeof j === 'object' && j !== null && Object.hasOwn(j, 'compile_config')) return compileFromKeras3(j as never);
  return compileArgsFromModelJson(json) ?? undefined;
}

function readJson(file: NamedBytes, ctx: ReadContext): LoadedModel {
  const json = parseJsonBytes(file.data, file.name);
  const kind = jsonFormatOf(json);
  if (kind === 'tfjs') return readTfjs(json, ctx.shards, file.name);
  if (kind === 'playground') {
    // The playground's file is a TF.js model.json in all but its format tag (its manifest also gives offsets).
    const { format: _tag, ...rest } = json as { format?: unknown };
    return { ...readTfjs(rest, ctx.shards, file.name), format: 'playground model file' };
  }
  if (ctx.shards.length > 0) {
    fail(file.name, `has no weightsManifest, so ${ctx.shards.map((s) => s.name).join(', ')} cannot go with it; .bin files belong with a TF.js model.json.`);
  }
  let model: LayerModel;
  try {
    model = modelFromJSON(json);
  } catch (error) {
    fail(file.name, `is not a model we can read: ${(error as Error).message}`);
  }
  const notes: string[] = [];
  let compile: CompileArgs | undefined;
  try {
    compile = readJsonCompile(json);
  } catch (error) {
    notes.push(`training_config not kept: ${clip((error as Error).message)}`);
  }
  const version = (json as { keras_version?: unknown }).keras_version;
  const format = `Keras model JSON${typeof version === 'string' ? ` (Keras ${clip(version, 20)})` : ''}`;
  return { model, weightsLoaded: false, format, notes, ...(compile ? { compile } : {}) };
}

function listNames(files: NamedBytes[]): string {
  return files.map((f) => f.name).join(', ');
}

/**
 * One model from its files: a model file alone; a TF.js model.json with its .bin shards; a model
 * file plus a .weights.h5 loaded onto it; or a .weights.h5 alone onto `opts.onto`.
 */
export async function readModelFiles(files: NamedBytes[], opts: ReadOptions = {}): Promise<LoadedModel> {
  if (files.length === 0) fail('readModelFiles', `no files given; expected one of ${ACCEPTED}.`);
  const total = files.reduce((n, f) => n + f.data.byteLength, 0);
  if (total > MAX_TOTAL_BYTES) fail(listNames(files), `are ${total} bytes together, more than the ${MAX_TOTAL_BYTES}-byte limit for one model.`);
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.name)) fail(f.name, `was given twice.`);
    seen.add(f.name);
    if (formatOf(f.name) === null) fail(f.name, `is not a model file we know by its name; expected ${ACCEPTED}.`);
  }
  const of = (format: FileFormat) => files.filter((f) => formatOf(f.name) === format);
  const mains = files.filter((f) => Object.hasOwn(READERS, formatOf(f.name)!));
  const weightsFiles = of('weights.h5');
  const shards = of('tfjs-shard');
  if (mains.length > 1) fail(listNames(mains), `are ${mains.length} model files; give one model at a time (with its .bin shards or a .weights.h5).`);
  if (weightsFiles.length > 1) fail(listNames(weightsFiles), `are several weights files; give one .weights.h5 with the model.`);
  const weights = weightsFiles[0];
  const main = mains[0];
  if (!main) {
    if (shards.length > 0) fail(listNames(shards), `${shards.length === 1 ? 'is a TF.js weight shard' : 'are TF.js weight shards'}; give their model.json with them.`);
    if (!opts.onto) fail(weights!.name, `holds weights only; give the model file with it (${ACCEPTED}) or load it onto a model.`);
    await loadWeightsH5(opts.onto, weights!);
    return { model: opts.onto, weightsLoaded: true, format: 'Keras .weights.h5', notes: [] };
  }
  if (opts.onto) fail(main.name, `is a whole model; only a .weights.h5 loads onto an existing model.`);
  const format = formatOf(main.name) as MainFormat;
  if (shards.length > 0 && format !== 'json') fail(listNames(shards), `are TF.js weight shards; they go with a model.json, not with ${main.name}.`);
  const loaded = await READERS[format](main, { shards, layout: opts.layout ?? 'classic' });
  if (!weights) return loaded;
  await loadWeightsH5(loaded.model, weights);
  const notes = loaded.weightsLoaded ? [...loaded.notes, `the weights in ${main.name} were replaced by ${weights.name}.`] : loaded.notes;
  return { ...loaded, weightsLoaded: true, notes };
}

// ---- writing ----

export interface ModelWriteOptions extends WriteOptions {
  /** Python only: also write <base>.weights.h5 and load it in the code. */
  weights?: boolean;
}

type Writer = (model: LayerModel, opts: ModelWriteOptions) => NamedBytes[] | Promise<NamedBytes[]>;

const encoder = new TextEncoder();
const text = (name: string, body: string): NamedBytes => ({ name, data: encoder.encode(body) });
const baseOf = (model: LayerModel, opts: WriteOptions): string => opts.baseName ?? model.name;

const WRITERS: { [K in WriteFormat]: Writer } = {
  keras: async (model, opts) => [{ name: `${baseOf(model, opts)}.keras`, data: await writeKerasFile(model, opts) }],
  h5: async (model, opts) => [{ name: `${baseOf(model, opts)}.h5`, data: await writeH5Model(model, opts) }],
  'weights.h5': async (model, opts) => [{ name: `${baseOf(model, opts)}.weights.h5`, data: await writeWeightsH5(model) }],
  // Keras's to_json() text exactly; with compile settings the JSON also carries training_config as tf.keras's .h5 does.
  json: (model, opts) => [text(`${baseOf(model, opts)}.json`, opts.compile ? JSON.stringify(modelToJSON(model, opts.compile)) : modelToJSONString(model))],
  'keras3-json': (model, opts) => [text(`${baseOf(model, opts)}.json`, keras3JsonString(model, opts.compile))],
  tfjs: (model, opts) => {
    const { modelJson, shards } = writeTfjs(model, opts.compile ? { compile: opts.compile } : {});
    return [text('model.json', JSON.stringify(modelJson)), ...shards];
  },
  python: (model, opts) => writePythonFile(model, opts),
};

/** The model as files of `format`; names are the base name plus the format's extension (TF.js: model.json and its shards). */
export async function writeModelFiles(model: LayerModel, format: WriteFormat, opts: ModelWriteOptions = {}): Promise<NamedBytes[]> {
  if (!Object.hasOwn(WRITERS, format)) fail('writeModelFiles', `unknown format ${describe(format)}; use one of ${Object.keys(WRITERS).join(', ')}.`);
  return WRITERS[format](model, opts);
}

/** The format a path asks for, by its ending: a folder (ending in /) or model.json is TF.js. */
export function writeFormatFor(path: string, opts: { keras3?: boolean } = {}): WriteFormat | null {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (name === '' || name === 'model.json') return 'tfjs';
  const format = formatOf(name);
  if (format === 'json') return opts.keras3 ? 'keras3-json' : 'json';
  return format === 'keras' || format === 'h5' || format === 'weights.h5' || format === 'python' ? format : null;
}
