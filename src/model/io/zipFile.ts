// The zip container underneath a .keras file, read and written without trusting anything in it.
// Writing stores entries uncompressed, as Keras's zipfile does, so it needs no library. Reading
// takes the central directory apart by hand (names, sizes, offsets, each checked against the
// bytes actually there) and inflates deflated entries with fflate's streaming Inflate, loaded
// only when such an entry is read, counting the bytes it produces and stopping as soon as an
// entry gives more than it declared: a zip bomb ends at its first lie, whatever its headers say.

import { fail } from '../validate.ts';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;

/** One entry of the central directory, checked: a safe relative name, sizes and where its data lies. */
export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's data (after its local header) in the archive. */
  dataOffset: number;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC-32 a zip entry records of its uncompressed bytes. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time, as zip headers keep them (2-second resolution). */
function dosTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

export interface StoredFile {
  name: string;
  data: Uint8Array;
  /** Modification time; default 1980-01-01 00:00, as Python's zipfile writes files opened with zf.open(name, 'w'). */
  date?: Date;
}

/** A zip of these files, stored (not compressed), in order: what Python's zipfile.ZipFile(f, 'w') writes. */
export function writeStoredZip(where: string, files: readonly StoredFile[]): Uint8Array {
  const encoder = new TextEncoder();
  const names = files.map((f) => encoder.encode(f.name));
  const total = files.reduce((n, f, i) => n + 30 + names[i]!.length + f.data.length + 46 + names[i]!.length, 22);
  if (total > 0xffffffff) fail(where, `the archive would be over 4 GB, which needs ZIP64; this writer does not make ZIP64 files.`);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  const central: { name: Uint8Array; crc: number; size: number; offset: number; time: number; date: number }[] = [];
  files.forEach((file, i) => {
    const name = names[i]!;
    const crc = crc32(file.data);
    const { time, date } = dosTime(file.date ?? new Date(1980, 0, 1));
    central.push({ name, crc, size: file.data.length, offset: at, time, date });
    view.setUint32(at, LOCAL, true);
    view.setUint16(at + 4, 20, true); // version needed: 2.0
    view.setUint16(at + 10, time, true);
    view.setUint16(at + 12, date, true);
    view.setUint32(at + 14, crc, true);
    view.setUint32(at + 18, file.data.length, true);
    view.setUint32(at + 22, file.data.length, true);
    view.setUint16(at + 26, name.length, true);
    out.set(name, at + 30);
    out.set(file.data, at + 30 + name.length);
    at += 30 + name.length + file.data.length;
  });
  const centralStart = at;
  for (const c of central) {
    view.setUint32(at, CENTRAL, true);
    view.setUint16(at + 4, (3 << 8) | 20, true); // made by: Unix, 2.0
    view.setUint16(at + 6, 20, true);
    view.setUint16(at + 12, c.time, true);
    view.setUint16(at + 14, c.date, true);
    view.setUint32(at + 16, c.crc, true);
    view.setUint32(at + 20, c.size, true);
    view.setUint32(at + 24, c.size, true);
    view.setUint16(at + 28, c.name.length, true);
    view.setUint32(at + 38, (0o600 << 16) >>> 0, true); // -rw-------, as Python writes
    view.setUint32(at + 42, c.offset, true);
    out.set(c.name, at + 46);
    at += 46 + c.name.length;
  }
  view.setUint32(at, END, true);
  view.setUint16(at + 8, files.length, true);
  view.setUint16(at + 10, files.length, true);
  view.setUint32(at + 12, at - centralStart, true);
  view.setUint32(at + 16, centralStart, true);
  return out;
}

/** A name that stays inside the archive: relative, no '..' or empty segments, no backslashes or drive letters. */
function safeName(where: string, name: string): string {
  const bad = name.length === 0 || name.startsWith('/') || name.includes('\\') || name.includes('\0') || /^[a-zA-Z]:/.test(name)
    || name.split('/').some((part, i, all) => part === '..' || part === '.' || (part === '' && i < all.length - 1));
  if (bad) fail(where, `holds an entry named ${JSON.stringify(name.slice(0, 80))}, a path outside the archive's folder; refusing the file.`);
  return name;
}

/** The end-of-central-directory record: the last 22+ bytes (its comment may follow, up to 64 KB). */
function findEnd(where: string, bytes: Uint8Array, view: DataView, notZip: string): number {
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === END) return at;
  }
  return fail(where, bytes.length >= 4 && view.getUint32(0, true) === LOCAL
    ? `is a truncated zip: its end (the central directory) is missing. ${notZip}`
    : `is not a zip archive. ${notZip}`);
}

/** The central directory's entries, every name, size and offset checked against the archive's bytes. */
export function readZipEntries(where: string, bytes: Uint8Array, notZip: string, maxEntries: number): ZipEntry[] {
  if (bytes.length < 22) fail(where, `is ${bytes.length} bytes, too short for a zip archive. ${notZip}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(where, bytes, view, notZip);
  if (end >= 20 && view.getUint32(end - 20, true) === ZIP64_END_LOCATOR) fail(where, `is a ZIP64 archive (over 4 GB or 65535 entries), larger than this reader takes.`);
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const start = view.getUint32(end + 16, true);
  if (count > maxEntries) fail(where, `holds ${count} entries; a .keras file holds a few (at most ${maxEntries} read).`);
  if (start + size > end) fail(where, `is truncated or damaged: its central directory lies outside the file.`);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL) fail(where, `is damaged: central directory entry ${i + 1} of ${count} is not where the directory says.`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const uncompressed = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const offset = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > end) fail(where, `is damaged: an entry name runs past the central directory.`);
    const name = safeName(where, decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
    if (seen.has(name)) fail(where, `holds two entries named "${name}"; refusing an ambiguous archive.`);
    seen.add(name);
    if (name.endsWith('/')) continue; // a folder
    if (flags & 1) fail(where, `entry "${name}" is encrypted; a .keras file is not.`);
    if ([compressedSize, uncompressed, offset].includes(0xffffffff)) fail(where, `entry "${name}" uses ZIP64 sizes (over 4 GB), larger than this reader takes.`);
    if (method !== 0 && method !== 8) fail(where, `entry "${name}" is compressed with method ${method}; only stored (0) and deflate (8) are read.`);
    if (offset + 30 > start || view.getUint32(offset, true) !== LOCAL) fail(where, `is truncated or damaged: entry "${name}" is not where the directory says.`);
    const localName = view.getUint16(offset + 26, true);
    const localExtra = view.getUint16(offset + 28, true);
    if (decoder.decode(bytes.subarray(offset + 30, offset + 30 + localName)) !== name) fail(where, `is damaged: entry "${name}" has another name in its own header.`);
    const dataOffset = offset + 30 + localName + localExtra;
    if (dataOffset + compressedSize > start) fail(where, `is truncated: entry "${name}" needs ${compressedSize} bytes that are not there.`);
    if (method === 0 && compressedSize !== uncompressed) fail(where, `is damaged: stored entry "${name}" declares ${uncompressed} bytes but holds ${compressedSize}.`);
    entries.push({ name, method, crc, compressedSize, size: uncompressed, dataOffset });
  }
  return entries;
}

/**
 * An entry's bytes. A deflated one is inflated in small pieces, and inflation stops as soon
 * as it produces more than the entry declared; the result must match the declared size and CRC.
 * A stored entry is a view into `bytes`.
 */
export async function readZipEntry(where: string, bytes: Uint8Array, entry: ZipEntry): Promise<Uint8Array> {
  const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let data = raw;
  if (entry.method === 8) {
    // fflate is loaded here only, the first time a deflated entry is read (Keras's own files store entries).
    const { Inflate } = await import('fflate');
    const out = new Uint8Array(entry.size);
    let produced = 0;
    const tooBig = new Error(`${where}: entry "${entry.name}" inflates to more than the ${entry.size} bytes it declares (a zip bomb?); refusing the file.`);
    const inflater = new Inflate((chunk) => {
      if (produced + chunk.length > entry.size) throw tooBig;
      out.set(chunk, produced);
      produced += chunk.length;
    });
    const piece = 16 * 1024;
    try {
      if (raw.length === 0) inflater.push(raw, true);
      for (let i = 0; i < raw.length; i += piece) inflater.push(raw.subarray(i, i + piece), i + piece >= raw.length);
    } catch (error) {
      if (error === tooBig) throw error;
      fail(where, `entry "${entry.name}" is damaged or truncated: its compressed data does not inflate (${(error as Error).message}).`);
    }
    if (produced !== entry.size) fail(where, `entry "${entry.name}" inflates to ${produced} bytes but declares ${entry.size}: the file is damaged or truncated.`);
    data = out;
  }
  if (crc32(data) !== entry.crc) fail(where, `entry "${entry.name}" fails its CRC check: the file is damaged.`);
  return data;
}
