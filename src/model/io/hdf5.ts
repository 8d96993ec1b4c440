// HDF5 for Keras's model files (.weights.h5, legacy .h5) through h5wasm, HDF5 compiled to
// WebAssembly. The library (4 MB, its wasm embedded) is imported only when a file needs it:
// 'h5wasm/node' under Node (vitest, the CLI), 'h5wasm' in the browser and the worker, where
// Vite makes it a chunk of its own. Files pass through h5wasm's in-memory file system: the
// bytes are written to a unique path, opened, read or written, closed and unlinked in one
// synchronous stretch. The helpers below read only what the caller asks for, and check a
// dataset's type and shape before reading its data, so a hostile file cannot make us allocate.

import type * as H5 from 'h5wasm';
import type { Layer } from '../layer.ts';
import type { LayerWeight } from '../weight.ts';
import { clip, describe, fail } from '../validate.ts';

export type H5Module = typeof import('h5wasm');
export type H5Group = H5.Group;
export type H5Dataset = H5.Dataset;

/** Largest file read (h5wasm holds it in memory, plus what is read out of it). */
export const MAX_H5_BYTES = 512 * 1024 * 1024;
/** Most strings in one list attribute (layer_names, weight_names) read. */
const MAX_LIST_ATTR = 100_000;

/** A variable, so Vite leaves the Node build out of the browser bundle. */
const NODE_BUILD = 'h5wasm/node';

function inNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: unknown } }; window?: unknown; importScripts?: unknown };
  return typeof g.process?.versions?.node === 'string' && g.window === undefined && g.importScripts === undefined;
}

/** h5wasm, ready, with HDF5's errors thrown (not printed to the console). */
export async function loadH5(): Promise<H5Module> {
  const h5 = (inNode() ? await import(/* @vite-ignore */ NODE_BUILD) : await import('h5wasm')) as H5Module;
  const module = await h5.ready;
  module.activate_throwing_error_handler();
  return h5;
}

/** HDF5's signature: at byte 0, or after a user block of 512, 1024, 2048, ... bytes. */
export function hasH5Signature(bytes: Uint8Array): boolean {
  const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  for (let at = 0; at + 8 <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (signature.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}

function uniquePath(): string {
  return `/keras-io-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.h5`;
}

/** HDF5's error stack, many lines, shortened to its innermost message ("truncated file: eof = ..."). */
function h5Message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const reasons = [...text.matchAll(/ in [A-Za-z0-9_]+\(\): (.+)/g)].map((m) => m[1]!.trim());
  return clip(reasons.length > 0 ? reasons[reasons.length - 1]! : text.split('\n')[0]!, 160);
}

function isH5Error(error: unknown): boolean {
  return error instanceof Error && error.message.includes('HDF5-DIAG');
}

/** Opens `bytes` as an HDF5 file and passes its root to `read`; errors of the HDF5 library come out short. */
export async function readH5<T>(bytes: Uint8Array, where: string, read: (root: H5Group, h5: H5Module) => T): Promise<T> {
  if (!(bytes instanceof Uint8Array)) fail(where, `expected the file's bytes (a Uint8Array), got ${describe(bytes)}.`);
  if (bytes.byteLength > MAX_H5_BYTES) {
    fail(where, `the file has ${(bytes.byteLength / 2 ** 20).toFixed(0)} MiB; HDF5 files over ${MAX_H5_BYTES / 2 ** 20} MiB are refused here.`);
  }
  if (!hasH5Signature(bytes)) {
    fail(where, `this is not an HDF5 file (it lacks HDF5's signature). Keras's .h5 and .weights.h5 files are HDF5; a .keras file is a zip.`);
  }
  const h5 = await loadH5();
  const fs = (await h5.ready).FS;
  const path = uniquePath();
  fs.writeFile(path, bytes);
  let file: H5.File | undefined;
  try {
    file = new h5.File(path, 'r');
    return read(file, h5);
  } catch (error) {
    if (isH5Error(error)) fail(where, `the HDF5 library cannot read the file: ${h5Message(error)} (is it truncated or damaged?).`);
    throw error;
  } finally {
    try {
      file?.close();
    } finally {
      fs.unlink(path);
    }
  }
}

/** A new HDF5 file, filled by `build`, as bytes. */
export async function writeH5(build: (root: H5Group) => void): Promise<Uint8Array> {
  const h5 = await loadH5();
  const fs = (await h5.ready).FS;
  const path = uniquePath();
  try {
    const file = new h5.File(path, 'w');
    try {
      build(file);
    } finally {
      file.close();
    }
    return new Uint8Array(fs.readFile(path));
  } finally {
    if (fs.analyzePath(path).exists) fs.unlink(path);
  }
}

/** The object at `path` below `group`, or null (a missing link is not an error here). */
function entity(group: H5Group, path: string): H5.Entity | null {
  try {
    return group.get(path);
  } catch {
    return null;
  }
}

export function getGroup(group: H5Group, path: string): H5Group | null {
  const e = entity(group, path);
  return e !== null && 'type' in e && e.type === 'Group' ? (e as H5Group) : null;
}

export function getDataset(group: H5Group, path: string): H5Dataset | null {
  const e = entity(group, path);
  return e !== null && 'type' in e && e.type === 'Dataset' ? (e as H5Dataset) : null;
}

/** Links of a group, refusing absurd counts before anything is built from them. */
export function groupKeys(group: H5Group, where: string, max: number): string[] {
  const keys = group.keys();
  if (keys.length > max) fail(where, `"${clip(group.path, 60)}" has ${keys.length} entries, more than the ${max} this reads.`);
  return keys;
}

function attrNames(obj: H5Group): string[] {
  return Object.keys(obj.attrs);
}

/** A scalar string attribute (UTF-8 variable-length as Keras 3 writes it, or tf.keras's fixed-length bytes). */
export function stringAttr(obj: H5Group, name: string, where: string): string | undefined {
  if (!attrNames(obj).includes(name)) return undefined;
  const value = obj.get_attribute(name, false);
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return value[0];
  return fail(where, `attribute "${name}" of "${clip(obj.path, 60)}" should be a string, got ${describe(value)}.`);
}

/**
 * A list-of-strings attribute as Keras writes it: one array, an empty numeric array for none,
 * or (over HDF5's 64 KiB header limit) split into name0, name1, ...
 */
export function stringListAttr(obj: H5Group, name: string, where: string): string[] | undefined {
  const names = attrNames(obj);
  const parts = names.includes(name) ? [name] : [];
  for (let i = 0; parts.length === 0 || names.includes(`${name}${i}`); i++) {
    if (!names.includes(`${name}${i}`)) break;
    parts.push(`${name}${i}`);
  }
  if (parts.length === 0) return undefined;
  const out: string[] = [];
  for (const part of parts) {
    const attr = obj.attrs[part]!;
    const count = (attr.shape ?? []).reduce((a, b) => a * b, 1);
    if (out.length + count > MAX_LIST_ATTR) fail(where, `attribute "${name}" lists more than ${MAX_LIST_ATTR} names.`);
    const value = attr.value;
    const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : ArrayBuffer.isView(value) && count === 0 ? [] : null;
    if (items === null || !items.every((v) => typeof v === 'string')) {
      fail(where, `attribute "${name}" of "${clip(obj.path, 60)}" should be a list of strings, got ${describe(value)}.`);
    }
    out.push(...(items as string[]));
  }
  return out;
}

export function shapeText(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** A dataset's shape, read from its header only. */
export function datasetShape(ds: H5Dataset): number[] {
  return ds.shape ?? [];
}

/** A float dataset's values as float32, once the caller has checked its shape; other types are refused. */
export function readFloats(ds: H5Dataset, where: string): Float32Array {
  const meta = ds.metadata;
  // type 1 is HDF5's float class; Keras writes float32 (float64 from hand-made files is accepted).
  if (meta.type !== 1 || (meta.size !== 4 && meta.size !== 8)) {
    fail(where, `"${clip(ds.path, 80)}" holds ${meta.type === 1 ? `${meta.size * 8}-bit floats` : 'values that are not floats'}; weights must be float32 or float64.`);
  }
  const value = ds.value;
  if (value instanceof Float32Array) return value;
  if (value instanceof Float64Array) return Float32Array.from(value);
  if (typeof value === 'number') return Float32Array.of(value);
  return fail(where, `"${clip(ds.path, 80)}" could not be read as floats.`);
}

/** A float32 dataset of the given shape. */
export function writeFloats(group: H5Group, name: string, values: Float32Array, shape: readonly number[]): void {
  group.create_dataset({ name, data: values, shape: [...shape], dtype: '<f' });
}

export type WeightValues = Map<LayerWeight, Float32Array>;

/** Checks one dataset against the weight it should fill, then reads it. */
export function readWeight(ds: H5Dataset | null, layer: Layer, w: LayerWeight, at: string, where: string): Float32Array {
  const what = `layer "${layer.name}" (${layer.className}) weight "${w.name}"`;
  if (!ds) return fail(where, `${what}: the file has no dataset ${at}.`);
  const shape = datasetShape(ds);
  // Shapes are compared before any data is read: a hostile header may claim absurd sizes.
  if (shape.length !== w.shape.length || shape.some((d, i) => d !== w.shape[i])) {
    fail(where, `${what}: the model has shape ${shapeText(w.shape)}, the file (${at}) has ${shapeText(shape)}.`);
  }
  return readFloats(ds, where);
}

