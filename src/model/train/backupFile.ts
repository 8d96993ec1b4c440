// The bytes of one training backup: a FitSnapshot with the run's model, settings and whatever
// else the caller keeps (`meta`), in a versioned format whose torn or truncated copies are
// detected. Layout (little endian):
//   "KBAK" | u32 format version | u32 header length | header JSON (UTF-8) | sections | u32 CRC-32
// The header names the sections (weights, optimizer slots, counters, metric sums, sample order,
// shuffle generator, the callbacks' weight copies) with their types and lengths; the CRC-32 covers every byte before it.
// The fingerprint ties a backup to one model and its settings: another one is refused.
import { crc32 } from '../io/zipFile';
import type { CallbackState, Logs } from './callbacks';
import type { History } from './fitArgs';
import type { FitSnapshot } from './fitSnapshot';

export const BACKUP_MAGIC = 'KBAK';
export const BACKUP_FORMAT_VERSION = 1;

/** Why a backup cannot be used: torn/truncated bytes (an older copy may be fine), another format, or another model. */
export type BackupProblem = 'torn' | 'format' | 'model';

export class BackupError extends Error {
  override name = 'BackupError';
  constructor(
    readonly problem: BackupProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface Backup<Meta = unknown> {
  fingerprint: string;
  /** When it was written (ms since 1970). */
  savedAt: number;
  meta: Meta;
  snapshot: FitSnapshot;
}

type Dtype = 'float32' | 'float64' | 'uint32';
const ARRAYS = { float32: Float32Array, float64: Float64Array, uint32: Uint32Array } as const;
type SectionArray = Float32Array | Float64Array | Uint32Array;

interface Header {
  fingerprint: string;
  savedAt: number;
  meta: unknown;
  epoch: number;
  step: number;
  learningRate: number;
  logs: Logs;
  history: History;
  /** The callbacks' state without their weight copies (those are the sections `callbackN`). */
  callbacks?: (Omit<CallbackState, 'weights'> | null)[];
  sections: { name: string; dtype: Dtype; length: number }[];
}

function sectionsOf(s: FitSnapshot): [string, Dtype, SectionArray][] {
  return [
    ['params', 'float32', s.engine.params],
    ['slots', 'float32', s.engine.slots],
    ['counters', 'float64', s.engine.counters],
    ['sums', 'float64', s.sums],
    ['order', 'uint32', s.order],
    ['rng', 'uint32', s.rng],
    ...(s.callbacks ?? []).flatMap((c, i): [string, Dtype, SectionArray][] => (c?.weights ? [[`callback${i}`, 'float32', c.weights]] : [])),
  ];
}

/** The fingerprint of a model and its settings: SHA-256 of `text` (e.g. the Keras JSON and the settings), hex. */
export async function fingerprint(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function encodeBackup<Meta>(backup: Backup<Meta>): Uint8Array {
  const { snapshot: s } = backup;
  const sections = sectionsOf(s);
  const header: Header = {
    fingerprint: backup.fingerprint,
    savedAt: backup.savedAt,
    meta: backup.meta,
    epoch: s.epoch,
    step: s.step,
    learningRate: s.learningRate,
    logs: s.logs,
    history: s.history,
    ...(s.callbacks ? { callbacks: s.callbacks.map((c) => (c ? { kind: c.kind, json: c.json } : null)) } : {}),
    sections: sections.map(([name, dtype, a]) => ({ name, dtype, length: a.length })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const size = 12 + json.length + sections.reduce((n, [, , a]) => n + a.byteLength, 0) + 4;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(BACKUP_MAGIC), 0);
  view.setUint32(4, BACKUP_FORMAT_VERSION, true);
  view.setUint32(8, json.length, true);
  bytes.set(json, 12);
  let at = 12 + json.length;
  for (const [, , a] of sections) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  view.setUint32(at, crc32(bytes.subarray(0, at)), true);
  return bytes;
}

/** Reads a backup's bytes; `expected` (when given) is the fingerprint of the model and settings it must be for. */
export function decodeBackup<Meta = unknown>(bytes: Uint8Array, where: string, expected?: string): Backup<Meta> {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 4)) !== BACKUP_MAGIC) {
    // A file cut before its header ends is torn too; anything else is not a backup at all.
    const prefix = new TextDecoder().decode(bytes.subarray(0, Math.min(4, bytes.length)));
    if (BACKUP_MAGIC.startsWith(prefix)) throw new BackupError('torn', `${where} is truncated (${bytes.length} bytes).`);
    throw new BackupError('format', `${where} is not a training backup (it does not start with "${BACKUP_MAGIC}").`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== BACKUP_FORMAT_VERSION) {
    const age = version < BACKUP_FORMAT_VERSION ? 'an older' : 'a newer';
    throw new BackupError('format', `${where} was written in ${age} backup format (version ${version}); this version reads version ${BACKUP_FORMAT_VERSION}. Discard it and start the run again.`);
  }
  const end = bytes.length - 4;
  if (view.getUint32(end, true) !== crc32(bytes.subarray(0, end))) {
    throw new BackupError('torn', `${where} is torn or truncated (its checksum does not match its ${bytes.length} bytes).`);
  }
  const jsonLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength))) as Header;
  if (expected !== undefined && header.fingerprint !== expected) {
    throw new BackupError('model', `${where} is a backup of another model or other training settings; resume with the model and settings it was made with, or discard it to start afresh.`);
  }
  let at = 12 + jsonLength;
  const arrays: Record<string, SectionArray> = {};
  for (const { name, dtype, length } of header.sections) {
    const size = length * ARRAYS[dtype].BYTES_PER_ELEMENT;
    // A copy: the sections' offsets need not be aligned to their element size (and a Node
    // Buffer's slice() is a view, not a copy).
    const copy = new Uint8Array(size);
    copy.set(bytes.subarray(at, at + size));
    arrays[name] = new ARRAYS[dtype](copy.buffer);
    at += size;
  }
  const snapshot: FitSnapshot = {
    epoch: header.epoch,
    step: header.step,
    order: arrays.order as Uint32Array,
    rng: arrays.rng as Uint32Array,
    engine: { params: arrays.params as Float32Array, slots: arrays.slots as Float32Array, counters: arrays.counters as Float64Array },
    sums: arrays.sums as Float64Array,
    learningRate: header.learningRate,
    logs: header.logs,
    history: header.history,
  };
  if (header.callbacks) snapshot.callbacks = header.callbacks.map((c, i) => (c ? { ...c, weights: (arrays[`callback${i}`] as Float32Array | undefined) ?? null } : null));
  return { fingerprint: header.fingerprint, savedAt: header.savedAt, meta: header.meta as Meta, snapshot };
}

/**
 * The first whole backup among `candidates` (newest first) for `expected`: a torn one is skipped
 * for the one before it (reported through `log`); one of another model or format is an error.
 */
export function firstWholeBackup<Meta>(candidates: { where: string; bytes: () => Uint8Array }[], expected: string, log: (line: string) => void): Backup<Meta> | null {
  for (const { where, bytes } of candidates) {
    try {
      return decodeBackup<Meta>(bytes(), where, expected);
    } catch (e) {
      if (!(e instanceof BackupError) || e.problem !== 'torn') throw e;
      log(`Skipping ${e.message}`);
    }
  }
  return null;
}
