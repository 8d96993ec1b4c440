// Where tuning choices are kept. In memory for the whole process (so tests and repeated compiles
// never re-time a shape), in IndexedDB for the page and its Web Worker (so a later visit starts
// at once), and as JSON for the CLI's file (scripts/tuningFile.ts reads and writes it in Node; the
// headless page is seeded with its entries and hands back what it tuned). Corrupt records and
// records from another TUNING_VERSION are ignored with a warning, never an error.
import { isTuningRecord, TUNING_VERSION, type TuningRecord, type TuningStore } from './tuning';

export type TuningEntries = Record<string, TuningRecord>;

export class MemoryTuningStore implements TuningStore {
  private readonly records = new Map<string, TuningRecord>();

  async get(key: string): Promise<TuningRecord | undefined> {
    return this.records.get(key);
  }

  async put(key: string, record: TuningRecord): Promise<void> {
    this.records.set(key, record);
  }

  /** Adds well-formed entries (a file's, a page's); returns how many were taken. */
  seed(entries: unknown): number {
    if (typeof entries !== 'object' || entries === null) return 0;
    let n = 0;
    for (const [key, record] of Object.entries(entries)) {
      if (!isTuningRecord(record)) continue;
      this.records.set(key, record);
      n++;
    }
    return n;
  }

  entries(): TuningEntries {
    return Object.fromEntries(this.records);
  }
}

/**
 * The process-wide store: choices made once per adapter and shape serve every engine of this page,
 * worker or test run. Module state on purpose: it is a cache of measurements, not of inputs.
 */
export const processTuningStore = new MemoryTuningStore();

/** The JSON text of a tuning file. */
export function tuningFileText(entries: TuningEntries): string {
  return `${JSON.stringify({ version: TUNING_VERSION, entries }, null, 1)}\n`;
}

/** The entries of a tuning file's text; `warn` says why a corrupt or foreign file is ignored. */
export function parseTuningFile(text: string, warn: (why: string) => void): TuningEntries {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    warn(`not JSON (${e instanceof Error ? e.message : String(e)})`);
    return {};
  }
  const file = data as { version?: unknown; entries?: unknown };
  if (typeof file !== 'object' || file === null || typeof file.entries !== 'object' || file.entries === null) {
    warn('no entries');
    return {};
  }
  if (file.version !== TUNING_VERSION) {
    warn(`version ${String(file.version)}, this code writes version ${TUNING_VERSION}`);
    return {};
  }
  const out: TuningEntries = {};
  for (const [key, record] of Object.entries(file.entries)) if (isTuningRecord(record)) out[key] = record;
  return out;
}

export const TUNING_DB = 'webgpu-keras-playground-tuning';
const STORE = 'choices';

interface StoredRecord {
  key: string;
  version: number;
  record: TuningRecord;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(TUNING_DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
  });
}

async function request<T>(mode: IDBTransactionMode, body: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = body(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onabort = () => reject(tx.error ?? req.error ?? new Error('the tuning transaction was aborted'));
    });
  } finally {
    db.close();
  }
}

/**
 * IndexedDB behind the process-wide memory store (works in pages and workers). Storage failing
 * (private mode, quota) costs only the re-timing next time: it warns and goes on.
 */
export class IndexedDbTuningStore implements TuningStore {
  constructor(
    private readonly memory: MemoryTuningStore = processTuningStore,
    private readonly warn: (why: string) => void = (why) => console.warn(`Tuning cache: ${why}`),
  ) {}

  async get(key: string): Promise<TuningRecord | undefined> {
    const hit = await this.memory.get(key);
    if (hit) return hit;
    let stored: unknown;
    try {
      stored = await request('readonly', (s) => s.get(key));
    } catch (e) {
      this.warn(`could not read IndexedDB (${e instanceof Error ? e.message : String(e)})`);
      return undefined;
    }
    if (stored === undefined) return undefined;
    const r = stored as Partial<StoredRecord>;
    if (r.version !== TUNING_VERSION || !isTuningRecord(r.record)) {
      this.warn(`ignoring the record for ${key} (version ${String(r.version)} or malformed)`);
      return undefined;
    }
    await this.memory.put(key, r.record);
    return r.record;
  }

  async put(key: string, record: TuningRecord): Promise<void> {
    await this.memory.put(key, record);
    const row: StoredRecord = { key, version: TUNING_VERSION, record };
    try {
      await request('readwrite', (s) => s.put(row));
    } catch (e) {
      this.warn(`could not write IndexedDB (${e instanceof Error ? e.message : String(e)})`);
    }
  }
}
