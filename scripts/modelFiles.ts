// The command-line tools' way to a model: a built-in example's name, or model files on disk read
// through readModelFiles. A folder stands for its model.json; a TF.js model.json brings the shard
// files its manifest names from beside it (when none are there it is read as a definition only).
// Writing puts readModelFiles's counterpart's files into place.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { examples } from '../src/model/examples.ts';
import { resetNameScope } from '../src/model/naming.ts';
import { MAX_TOTAL_BYTES, readModelFiles, writeFormatFor, writeModelFiles, type ModelWriteOptions } from '../src/model/io/files.ts';
import { baseName } from '../src/model/io/tfjs.ts';
import type { LoadedModel, NamedBytes, NamingLayout, WriteFormat } from '../src/model/io/types.ts';

function readPath(path: string): NamedBytes {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`cannot read ${path} (${code})`, { cause: error });
  }
  if (size > MAX_TOTAL_BYTES) throw new Error(`${path} is ${size} bytes, more than the ${MAX_TOTAL_BYTES}-byte limit for one model`);
  return { name: path, data: readFileSync(path) };
}

/** The .bin files a TF.js model.json names, from its folder: all that exist (readTfjs names the missing). */
function shardsBeside(file: NamedBytes): NamedBytes[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(file.data));
  } catch {
    return []; // readModelFiles reports the bad JSON with its reason.
  }
  const manifest = (json as { weightsManifest?: unknown })?.weightsManifest;
  if (!Array.isArray(manifest)) return [];
  const paths = manifest.flatMap((g) => (Array.isArray(g?.paths) ? g.paths.filter((p: unknown) => typeof p === 'string') : []));
  const found = paths.map((p: string) => join(dirname(file.name), baseName(p))).filter((p: string) => existsSync(p));
  return found.map(readPath);
}

export interface Loaded extends LoadedModel {
  source: string;
}

/** An example by name (fresh weights, as `npm run train` builds it) or model files. */
export async function loadModel(targets: string[], layout: NamingLayout = 'classic'): Promise<Loaded> {
  resetNameScope();
  const [first] = targets;
  if (targets.length === 1 && first !== undefined && Object.hasOwn(examples, first) && !existsSync(first)) {
    return { model: examples[first]!.build(), weightsLoaded: false, format: 'built-in example', notes: [], source: first };
  }
  const files: NamedBytes[] = [];
  for (const target of targets) {
    const path = existsSync(target) && statSync(target).isDirectory() ? join(target, 'model.json') : target;
    if (!existsSync(path) && targets.length === 1) {
      throw new Error(`cannot read ${path} (ENOENT); it is neither a file nor an example (${Object.keys(examples).join(', ')})`);
    }
    files.push(readPath(path));
  }
  const givenShards = files.some((f) => /\.bin$/i.test(f.name));
  const jsons = files.filter((f) => /\.json$/i.test(f.name));
  if (!givenShards && jsons.length === 1) files.push(...shardsBeside(jsons[0]!));
  return { ...(await readModelFiles(files, { layout })), source: targets.join(' + ') };
}

export interface Written {
  paths: string[];
  format: WriteFormat;
}

/** Writes `model` in the format `out` asks for (see writeFormatFor); TF.js goes into out's folder as model.json + shards. */
export async function saveModel(model: LoadedModel['model'], out: string, opts: ModelWriteOptions & { keras3?: boolean } = {}): Promise<Written> {
  const format = writeFormatFor(out, opts);
  if (!format) throw new Error(`cannot tell the format of ${out} by its name; use .keras, .h5, .weights.h5, .json, .py, or a folder/ or model.json for TF.js`);
  const folder = format === 'tfjs' && (out.endsWith('/') || out.endsWith('\\')) ? out : dirname(out);
  const base = basename(out).replace(/(\.weights\.h5|\.[^.]+)$/i, '');
  const { keras3: _keras3, ...writeOpts } = opts;
  const files = await writeModelFiles(model, format, { ...writeOpts, baseName: base });
  mkdirSync(folder, { recursive: true });
  const paths = files.map((f) => join(folder, f.name));
  files.forEach((f, i) => writeFileSync(paths[i]!, f.data));
  return { paths, format };
}

/** The first line of an error, for the tools' one-line messages. */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
