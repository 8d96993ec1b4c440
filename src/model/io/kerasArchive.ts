// The .keras file: a zip holding metadata.json ({keras_version, date_saved}), config.json (the
// model as keras3Json.ts writes it) and model.weights.h5 (the weights, opaque here), plus any
// assets/. Packing writes it as Keras 3.15.1's saving_lib does (entries stored, in that order);
// unpacking refuses anything a .keras file would not be, within a second or two and without
// allocating more than the caps below (zipFile.ts does the zip side).

import type { JsonObject } from '../kerasConfig.ts';
import { describe, fail } from '../validate.ts';
import type { NamedBytes } from './types.ts';
import { pythonJson } from './keras3Json.ts';
import { readZipEntries, readZipEntry, writeStoredZip, type ZipEntry } from './zipFile.ts';

export interface KerasArchive {
  config: JsonObject;
  /** {keras_version, date_saved}; {} when the file has no metadata.json. */
  metadata: JsonObject;
  /** model.weights.h5's bytes (for a stored entry, a view into the archive's bytes). */
  weights: Uint8Array;
  /** Files under assets/ (none for the layers here), names as in the zip. */
  assets?: NamedBytes[];
}

const WHERE = '.keras file';
const KERAS_VERSION = '3.15.1';
const WHAT_IT_HOLDS = 'A .keras file (Keras 3 model.save("model.keras")) is a zip archive holding config.json, metadata.json and model.weights.h5.';

/** The most each part may inflate to, and the whole archive (declared sizes are checked first, then the bytes produced). */
export const KERAS_ARCHIVE_LIMITS = {
  config: 64 * 1024 * 1024,
  metadata: 1024 * 1024,
  weights: 1024 * 1024 * 1024,
  assets: 64 * 1024 * 1024,
  entries: 10_000,
  /** A deflated entry declaring more than this many bytes... */
  ratioFloor: 16 * 1024 * 1024,
  /** ...may be at most this many times its compressed size (weights barely compress; a bomb compresses 1000-fold). */
  ratio: 20,
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Keras's date_saved: datetime.now().strftime("%Y-%m-%d@%H:%M:%S"), local time. */
function dateSaved(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}@${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * A .keras file as Keras 3 writes it: metadata.json, config.json, model.weights.h5, stored, in
 * that order, the JSON as Python's json.dumps prints it. Without `metadata`, it is
 * {keras_version: "3.15.1", date_saved: now}.
 */
export function packKerasArchive(a: { config: JsonObject; metadata?: JsonObject; weights: Uint8Array }): Uint8Array {
  if (!(a.weights instanceof Uint8Array)) fail(WHERE, `weights must be model.weights.h5's bytes (a Uint8Array), got ${describe(a.weights)}.`);
  const now = new Date();
  const metadata = a.metadata ?? { keras_version: KERAS_VERSION, date_saved: dateSaved(now) };
  const encoder = new TextEncoder();
  return writeStoredZip(WHERE, [
    { name: 'metadata.json', data: encoder.encode(pythonJson(metadata)) },
    { name: 'config.json', data: encoder.encode(pythonJson(a.config)) },
    // Keras writes the weights last, with the time they were written.
    { name: 'model.weights.h5', data: a.weights, date: now },
  ]);
}

/** Refuses an entry whose declared size passes its cap, or that declares far more than its compressed bytes could hold. */
function checkDeclared(entry: ZipEntry, cap: number, what: string): void {
  if (entry.size > cap) fail(WHERE, `${entry.name} is ${entry.size} bytes, over the ${cap}-byte limit for ${what}.`);
  const { ratio, ratioFloor } = KERAS_ARCHIVE_LIMITS;
  if (entry.method !== 0 && entry.size > ratioFloor && entry.size > ratio * entry.compressedSize) {
    fail(WHERE, `${entry.name} declares ${entry.size} bytes from ${entry.compressedSize} compressed (over ${ratio} to 1): a zip bomb, or a file to re-save with Keras (which stores entries uncompressed).`);
  }
}

function parseJson(name: string, data: Uint8Array): JsonObject {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return fail(WHERE, `${name} is not UTF-8 text.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(WHERE, `${name} is not valid JSON (${(error as Error).message.slice(0, 120)}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(WHERE, `${name} must hold a JSON object, got ${describe(value)}.`);
  return value as JsonObject;
}

/** A .keras file's parts, every size, name and checksum checked; errors say what is wrong and what a .keras file holds. */
export async function unpackKerasArchive(bytes: Uint8Array): Promise<KerasArchive> {
  if (!(bytes instanceof Uint8Array)) fail(WHERE, `expected the file's bytes (a Uint8Array), got ${describe(bytes)}.`);
  const limits = KERAS_ARCHIVE_LIMITS;
  const entries = readZipEntries(WHERE, bytes, WHAT_IT_HOLDS, limits.entries);
  const named = (name: string): ZipEntry | undefined => entries.find((e) => e.name === name);
  const configEntry = named('config.json');
  const weightsEntry = named('model.weights.h5');
  if (!configEntry) fail(WHERE, `has no config.json. ${WHAT_IT_HOLDS}`);
  if (!weightsEntry) {
    const npz = named('model.weights.npz') ? ' It holds model.weights.npz: save it again with Keras\'s default weights format (h5).' : '';
    fail(WHERE, `has no model.weights.h5.${npz} ${WHAT_IT_HOLDS}`);
  }
  const metadataEntry = named('metadata.json');
  const assetEntries = entries.filter((e) => e.name.startsWith('assets/'));
  checkDeclared(configEntry, limits.config, 'config.json');
  checkDeclared(weightsEntry, limits.weights, 'the weights');
  if (metadataEntry) checkDeclared(metadataEntry, limits.metadata, 'metadata.json');
  const assetBytes = assetEntries.reduce((n, e) => n + e.size, 0);
  if (assetBytes > limits.assets) fail(WHERE, `its assets/ hold ${assetBytes} bytes, over the ${limits.assets}-byte limit.`);
  for (const e of assetEntries) checkDeclared(e, limits.assets, 'assets');

  const config = parseJson('config.json', await readZipEntry(WHERE, bytes, configEntry));
  const metadata = metadataEntry ? parseJson('metadata.json', await readZipEntry(WHERE, bytes, metadataEntry)) : {};
  const weights = await readZipEntry(WHERE, bytes, weightsEntry);
  const archive: KerasArchive = { config, metadata, weights };
  if (assetEntries.length > 0) {
    archive.assets = [];
    for (const e of assetEntries) archive.assets.push({ name: e.name, data: await readZipEntry(WHERE, bytes, e) });
  }
  return archive;
}

/** compile()'s arguments from an unpacked config (keras3Json.ts): undefined when the model was saved uncompiled. */
export { compileFromKeras3 } from './keras3Json.ts';
