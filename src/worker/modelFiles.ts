// The worker's side of opening and downloading model files: bytes in, the page's spec (plus the
// trained weights, compile() and fit() settings the files carried) out; and the current model,
// trained or freshly initialized, written in any format. The formats live in src/model/io.

import type { LayerModel } from '../model/functional.ts';
import type { CompileArgs } from '../model/index.ts';
import type { NamedBytes, NamingLayout, WriteFormat } from '../model/io/types.ts';
import { readTypeScript } from '../model/io/typescript/index.ts';
import { readModelFiles, writeModelFiles } from '../model/io/files.ts';
import { specFromModel } from './modelSpec.ts';
import type { Opened } from './protocol.ts';

/** The most bytes read from one set of files (a 1 GiB model is far beyond what trains here). */
export const MAX_OPEN_BYTES = 1 << 30;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Reads the files into what the page takes; throws a readable error naming the files. */
export async function openModelFiles(files: NamedBytes[], layout: NamingLayout, current: () => LayerModel): Promise<Opened> {
  const names = files.map((f) => f.name).join(', ');
  const total = files.reduce((n, f) => n + f.data.byteLength, 0);
  if (files.length === 0) throw new Error('No files were chosen.');
  if (total > MAX_OPEN_BYTES) throw new Error(`${names}: ${(total / 2 ** 20).toFixed(0)} MiB is more than the ${MAX_OPEN_BYTES / 2 ** 20} MiB a model may have here.`);
  let loaded;
  try {
    // A lone .weights.h5 has no model of its own: it loads into the page's.
    const weightsOnly = files.every((f) => /\.weights\.h5$/i.test(f.name));
    const ts = files.length === 1 && /\.ts$/i.test(files[0]!.name) ? files[0]! : null;
    if (ts) loaded = readTypeScript(new TextDecoder().decode(ts.data));
    else loaded = await readModelFiles(files, weightsOnly ? { layout, onto: current() } : { layout });
  } catch (e) {
    // The readers name the file they stopped at; name them all only where no name is given.
    const text = message(e);
    throw new Error(files.some((f) => text.includes(f.name)) ? text : `${names}: ${text}`, { cause: e });
  }
  let spec;
  try {
    spec = specFromModel(loaded.model);
  } catch (e) {
    throw new Error(`${names} holds a model the page cannot show: ${message(e)}`, { cause: e });
  }
  const opened: Opened = { spec, format: loaded.format, notes: loaded.notes, names: files.map((f) => f.name) };
  if (loaded.compile) opened.compile = loaded.compile;
  if (loaded.fit) opened.fit = loaded.fit;
  if (loaded.weightsLoaded) {
    const saved = loaded.model.saveWeights();
    opened.weights = { manifest: saved.manifest, data: saved.data };
  }
  return opened;
}

/** The model's files in `format`, named after `baseName` (Python with `weights`: also its .weights.h5). */
export function writeModel(model: LayerModel, format: WriteFormat, opts: { baseName: string; compile?: CompileArgs; weights?: boolean }): Promise<NamedBytes[]> {
  return writeModelFiles(model, format, { baseName: opts.baseName, ...(opts.compile ? { compile: opts.compile } : {}), ...(format === 'python' && opts.weights ? { weights: true } : {}) });
}
