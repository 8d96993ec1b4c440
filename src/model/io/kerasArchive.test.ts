// .keras files: real ones Keras 3.15.1 saved (tests/fixtures/keras/io/keras3json/*.keras, made by
// make_keras3json.py) unpack and repack byte for byte; hostile ones (a 2 GB zip bomb with lying
// headers, truncated bytes, a text file, path tricks, duplicates) end fast with a short error.

import { readFileSync } from 'node:fs';
import { deflateSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { modelFromJSON } from '../serialize.ts';
import { resetNameScope } from '../naming.ts';
import type { Json, JsonObject } from '../kerasConfig.ts';
import { modelToKeras3Json } from './keras3Json.ts';
import { compileFromKeras3, packKerasArchive, unpackKerasArchive } from './kerasArchive.ts';
import { crc32, writeStoredZip } from './zipFile.ts';

const DIR = new URL('../../../tests/fixtures/keras/io/keras3json/', import.meta.url);
const fixture = (file: string): Uint8Array => new Uint8Array(readFileSync(new URL(file, DIR)));
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Keras's shared_object_id (Python object ids tying shared objects together) is not ours to write. */
function withoutSharedIds(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutSharedIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'shared_object_id').map(([k, v]) => [k, withoutSharedIds(v)]));
}

/** Expected from Keras: each tiny model's parameter count (its model.count_params()). */
const TINY: Record<string, { params: number; compiled: boolean }> = {
  'tiny_dense.keras': { params: 3 * 4 + 4 + 4 * 2 + 2, compiled: false },
  'tiny_compiled.keras': { params: 3 * 4 + 4 + 4 * 2 + 2, compiled: true },
  'tiny_batchnorm.keras': { params: 4 * 4 + 4 * 2 + 2, compiled: false },
};

describe('real .keras files of Keras 3.15.1', () => {
  for (const [file, { params, compiled }] of Object.entries(TINY)) {
    it(`${file}: config, metadata and HDF5 weights; the config reads and our writer gives it back`, async () => {
      const archive = await unpackKerasArchive(fixture(file));
      expect(archive.metadata.keras_version).toBe('3.15.1');
      expect(archive.metadata.date_saved).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
      expect([...archive.weights.subarray(0, 8)]).toEqual(HDF5_SIGNATURE);
      expect(archive.assets).toBeUndefined();
      resetNameScope();
      const model = modelFromJSON(archive.config);
      expect(model.countParams()).toBe(params);
      const compile = compileFromKeras3(archive.config);
      expect(compile !== undefined).toBe(compiled);
      expect(JSON.stringify(modelToKeras3Json(model, compile))).toBe(JSON.stringify(withoutSharedIds(archive.config)));
    });
  }

  it('tiny_compiled.keras: compile() was Adam(0.01), sparse_categorical_crossentropy, accuracy', async () => {
    const { config } = await unpackKerasArchive(fixture('tiny_compiled.keras'));
    const compile = compileFromKeras3(config)!;
    expect(compile.optimizer).toMatchObject({ kind: 'adam', learningRate: Math.fround(0.01) });
    expect(compile.loss).toBe('sparse_categorical_crossentropy');
    expect(compile.metrics).toEqual(['accuracy']);
  });

  for (const file of Object.keys(TINY)) {
    it(`${file}: packKerasArchive of its parts is Keras's file, byte for byte but the weights' timestamp`, async () => {
      const original = fixture(file);
      const archive = await unpackKerasArchive(original);
      const packed = packKerasArchive(archive);
      expect(packed.length).toBe(original.length);
      const differ = [...packed.keys()].filter((i) => packed[i] !== original[i]);
      // The weights entry's DOS time and date: in its local header (offset 10-13) and its central directory record (12-15).
      const at = (name: string, from: number): number => findBytes(original, text(name), from);
      const local = at('model.weights.h5', 0) - 30;
      const central = at('model.weights.h5', local + 31) - 46;
      const allowed = new Set([local + 10, local + 11, local + 12, local + 13, central + 12, central + 13, central + 14, central + 15]);
      expect(differ.filter((i) => !allowed.has(i))).toEqual([]);
    });
  }

  it('packKerasArchive writes Keras metadata when none is given, and unpacks to what went in', async () => {
    const config = { class_name: 'Sequential', config: { name: 'x', layers: [] } } as JsonObject;
    const weights = new Uint8Array([...HDF5_SIGNATURE, 1, 2, 3]);
    const back = await unpackKerasArchive(packKerasArchive({ config, weights }));
    expect(back.config).toEqual(config);
    expect([...back.weights]).toEqual([...weights]);
    expect(back.metadata.keras_version).toBe('3.15.1');
    expect(back.metadata.date_saved).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
  });

  it('reads deflated entries too (a .keras re-zipped with compression), and assets/', async () => {
    const original = await unpackKerasArchive(fixture('tiny_dense.keras'));
    const zipped = zipSync({
      'config.json': text(JSON.stringify(original.config)),
      'model.weights.h5': original.weights,
      'assets/vocab.txt': text('a\nb\n'),
    }, { level: 9 });
    const back = await unpackKerasArchive(zipped);
    expect(back.config).toEqual(original.config);
    expect([...back.weights]).toEqual([...original.weights]);
    expect(back.metadata).toEqual({});
    expect(back.assets).toEqual([{ name: 'assets/vocab.txt', data: text('a\nb\n') }]);
  });
});

function findBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

interface RawEntry {
  name: string;
  /** The bytes as stored (compressed for method 8). */
  data: Uint8Array;
  method?: number;
  /** What the headers claim. */
  size?: number;
  crc?: number;
}

/** A zip whose headers say whatever the test wants (sizes, methods, names). */
function rawZip(entries: readonly RawEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = text(e.name);
    const header = (length: number, sig: number, fields: [number, number, 'u16' | 'u32'][]): Uint8Array => {
      const b = new Uint8Array(length + name.length);
      const v = new DataView(b.buffer);
      v.setUint32(0, sig, true);
      for (const [at, value, kind] of fields) if (kind === 'u16') v.setUint16(at, value, true); else v.setUint32(at, value, true);
      b.set(name, length);
      return b;
    };
    const size = e.size ?? e.data.length;
    const crc = e.crc ?? 0;
    const method = e.method ?? 0;
    parts.push(header(30, 0x04034b50, [[4, 20, 'u16'], [8, method, 'u16'], [14, crc, 'u32'], [18, e.data.length, 'u32'], [22, size, 'u32'], [26, name.length, 'u16']]), e.data);
    central.push(header(46, 0x02014b50, [[4, 20, 'u16'], [6, 20, 'u16'], [10, method, 'u16'], [16, crc, 'u32'], [20, e.data.length, 'u32'], [24, size, 'u32'], [28, name.length, 'u16'], [42, offset, 'u32']]));
    offset += 30 + name.length + e.data.length;
  }
  const centralSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, entries.length, true);
  v.setUint16(10, entries.length, true);
  v.setUint32(12, centralSize, true);
  v.setUint32(16, offset, true);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A raw DEFLATE stream of `bytes` zeros (bytes - 1 a multiple of 258): one fixed-Huffman block,
 * a literal 0 then matches of length 258 at distance 1, 13 bits per 258 bytes: 2 GB in 13.5 MB.
 */
function zerosDeflate(bytes: number): Uint8Array {
  const matches = (bytes - 1) / 258;
  const bits = 3 + 8 + 13 * matches + 7;
  const out = new Uint8Array(Math.ceil(bits / 8));
  let bit = 0;
  const write = (value: number, count: number): void => {
    for (let i = 0; i < count; i++, bit++) if ((value >> i) & 1) out[bit >> 3]! |= 1 << (bit & 7);
  };
  write(0b011, 3); // BFINAL = 1, BTYPE = 01 (fixed Huffman)
  write(0b00001100, 8); // literal 0: code 00110000, sent most significant bit first
  for (let m = 0; m < matches; m++) write(0b10100011, 13); // length 258 (code 11000101), then distance 1 (00000)
  write(0, 7); // end of block (0000000)
  return out;
}

const CONFIG = text('{"class_name": "Sequential", "config": {"layers": []}}');
const stored = (name: string, data: Uint8Array): RawEntry => ({ name, data, crc: crc32(data) });

describe('zip bombs end fast with a short error', () => {
  const TWO_GB = 1 + 258 * 8_323_584; // just over 2 GiB of zeros
  const bomb = zerosDeflate(TWO_GB);

  it('the bomb is real: fflate inflates its start to zeros', async () => {
    const { Inflate } = await import('fflate');
    let produced = 0;
    let nonZero = 0;
    const inflater = new Inflate((chunk) => {
      produced += chunk.length;
      nonZero += chunk.some((b) => b !== 0) ? 1 : 0;
    });
    inflater.push(bomb.subarray(0, 100_000));
    expect(produced).toBeGreaterThan(10_000_000);
    expect(nonZero).toBe(0);
  });

  it('2 GB of zeros declared as 1000 bytes: stops at the lie', async () => {
    const zip = rawZip([stored('config.json', CONFIG), { name: 'model.weights.h5', data: bomb, method: 8, size: 1000 }]);
    const start = performance.now();
    await expect(unpackKerasArchive(zip)).rejects.toThrow(/model\.weights\.h5" inflates to more than the 1000 bytes it declares \(a zip bomb\?\)/);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('2 GB declared honestly: over the weights limit, refused before inflating', async () => {
    const zip = rawZip([stored('config.json', CONFIG), { name: 'model.weights.h5', data: bomb, method: 8, size: TWO_GB }]);
    await expect(unpackKerasArchive(zip)).rejects.toThrow(new RegExp(`model\\.weights\\.h5 is ${TWO_GB} bytes, over the 1073741824-byte limit`));
  });

  it('500 MB declared from 13 MB: refused by the compression ratio', async () => {
    const zip = rawZip([stored('config.json', CONFIG), { name: 'model.weights.h5', data: bomb, method: 8, size: 500_000_000 }]);
    await expect(unpackKerasArchive(zip)).rejects.toThrow(/declares 500000000 bytes from \d+ compressed \(over 20 to 1\): a zip bomb/);
  });

  it('config.json of 100 MB declared: over its limit', async () => {
    const zip = rawZip([{ name: 'config.json', data: bomb.subarray(0, 1000), method: 8, size: 100_000_000 }, stored('model.weights.h5', CONFIG)]);
    await expect(unpackKerasArchive(zip)).rejects.toThrow(/config\.json is 100000000 bytes, over the 67108864-byte limit for config\.json/);
  });

});

describe('truncated, damaged and tricky files end with a short error', () => {
  it('a truncated .keras file', async () => {
    const whole = fixture('tiny_dense.keras');
    await expect(unpackKerasArchive(whole.subarray(0, whole.length >> 1))).rejects.toThrow(/truncated zip.*config\.json, metadata\.json and model\.weights\.h5/);
    await expect(unpackKerasArchive(whole.subarray(0, whole.length - 30))).rejects.toThrow(/truncated/);
  });

  it('a text file renamed .keras', async () => {
    const txt = text('model.summary() printed this\nLayer (type)    Output Shape    Param #\n'.repeat(20));
    await expect(unpackKerasArchive(txt)).rejects.toThrow(/not a zip archive\. A \.keras file .* is a zip archive holding config\.json, metadata\.json and model\.weights\.h5/);
    await expect(unpackKerasArchive(new Uint8Array(3))).rejects.toThrow(/too short for a zip archive/);
  });

  it('missing parts are named, with what a .keras file holds', async () => {
    await expect(unpackKerasArchive(writeStoredZip('t', [{ name: 'model.weights.h5', data: CONFIG }]))).rejects.toThrow(/has no config\.json\. A \.keras file/);
    await expect(unpackKerasArchive(writeStoredZip('t', [{ name: 'config.json', data: CONFIG }]))).rejects.toThrow(/has no model\.weights\.h5\. A \.keras file/);
    await expect(unpackKerasArchive(writeStoredZip('t', [{ name: 'config.json', data: CONFIG }, { name: 'model.weights.npz', data: CONFIG }]))).rejects.toThrow(/model\.weights\.npz: save it again/);
  });

  it('path tricks and duplicate entries', async () => {
    for (const name of ['../config.json', '/etc/passwd', 'assets/../../x', 'C:/x', 'assets\\x', 'a//b']) {
      const zip = rawZip([stored('config.json', CONFIG), stored('model.weights.h5', CONFIG), stored(name, CONFIG)]);
      await expect(unpackKerasArchive(zip), name).rejects.toThrow(/a path outside the archive's folder/);
    }
    const twice = rawZip([stored('config.json', CONFIG), stored('model.weights.h5', CONFIG), stored('config.json', text('{}'))]);
    await expect(unpackKerasArchive(twice)).rejects.toThrow(/two entries named "config\.json"/);
  });

  it('damaged entries: a flipped byte fails the CRC; bad deflate data; JSON that is not an object', async () => {
    const zip = writeStoredZip('t', [{ name: 'config.json', data: CONFIG }, { name: 'model.weights.h5', data: new Uint8Array(64).fill(7) }]);
    zip[30 + 'config.json'.length + CONFIG.length + 30 + 'model.weights.h5'.length + 5]! ^= 1; // a byte of the weights
    await expect(unpackKerasArchive(zip)).rejects.toThrow(/model\.weights\.h5" fails its CRC check/);
    const garbage = rawZip([stored('config.json', CONFIG), { name: 'model.weights.h5', data: new Uint8Array([0xff, 0xff, 0xff, 0xff]), method: 8, size: 10 }]);
    await expect(unpackKerasArchive(garbage)).rejects.toThrow(/model\.weights\.h5" is damaged or truncated/);
    const short = deflateSync(new Uint8Array(100));
    const lying = rawZip([stored('config.json', CONFIG), { name: 'model.weights.h5', data: short, method: 8, size: 200 }]);
    await expect(unpackKerasArchive(lying)).rejects.toThrow(/inflates to 100 bytes but declares 200/);
    const list = writeStoredZip('t', [{ name: 'config.json', data: text('[1, 2]') }, { name: 'model.weights.h5', data: CONFIG }]);
    await expect(unpackKerasArchive(list)).rejects.toThrow(/config\.json must hold a JSON object/);
    const method = rawZip([stored('config.json', CONFIG), { name: 'model.weights.h5', data: CONFIG, method: 12, crc: crc32(CONFIG) }]);
    await expect(unpackKerasArchive(method)).rejects.toThrow(/compressed with method 12/);
  });

  it('fflate is loaded lazily: no static import of it in the .keras modules', () => {
    for (const file of ['kerasArchive.ts', 'zipFile.ts', 'keras3Json.ts', 'keras3Layer.ts']) {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      expect(source, file).not.toMatch(/^import[^;]*from 'fflate'/m);
    }
  });
});
