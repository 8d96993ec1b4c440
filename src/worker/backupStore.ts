// Training backups kept in the browser (IndexedDB), shared by the worker (which writes them) and
// the page (which lists, resumes and discards them). Each run keeps its two newest backups in two
// slots (`runId/0`, `runId/1`, by sequence number): a put is one transaction, so a crash leaves
// the older slot whole, and the checksum in the bytes catches anything else. While a run is
// alive, its worker holds the Web Lock `runLock(runId)`: a backup whose lock nobody holds is an
// interrupted run, and no two tabs ever write one run's records. The same database keeps the
// page's run list (`runs`: settings, curves, final metrics), which outlives the backups.

const DB = 'webgpu-keras-playground-backups';
const STORE = 'backups';
const RUNS = 'runs';

export interface BackupRecord {
  key: string;
  runId: string;
  /** Counts up per run: the larger is the newer. */
  seq: number;
  savedAt: number;
  bytes: ArrayBuffer;
}

/** The Web Lock a training worker holds for its whole life (named by its Worker name): its release means the worker is gone. */
export const workerLock = (name: string): string => `webgpu-keras-playground-worker:${name}`;

/** The Web Lock a run's worker holds while the run is alive. */
export const runLock = (runId: string): string => `webgpu-keras-playground-run:${runId}`;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 2);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'key' });
      if (!db.objectStoreNames.contains(RUNS)) db.createObjectStore(RUNS, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
  });
}

async function run<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T> | void, store = STORE): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const req = body(tx.objectStore(store));
      // A request can succeed and its transaction still abort (the quota is checked at commit).
      tx.oncomplete = () => resolve(req ? req.result : (undefined as T));
      tx.onabort = () => reject(tx.error ?? (req ? req.error : null) ?? new Error('The browser storage transaction was aborted.'));
      tx.onerror = () => undefined;
    });
  } finally {
    db.close();
  }
}

/** Writes backup number `seq` of a run over the older of its two slots. */
export function putBackup(runId: string, seq: number, bytes: Uint8Array): Promise<void> {
  const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
  const record: BackupRecord = { key: `${runId}/${seq % 2}`, runId, seq, savedAt: Date.now(), bytes: copy };
  return run('readwrite', (s) => void s.put(record));
}

/** Every backup record, newest first within each run. */
export async function allBackups(): Promise<BackupRecord[]> {
  const all = await run<BackupRecord[]>('readonly', (s) => s.getAll() as IDBRequest<BackupRecord[]>);
  return all.sort((a, b) => a.runId.localeCompare(b.runId) || b.seq - a.seq);
}

/** A run's backups, newest first. */
export async function runBackups(runId: string): Promise<BackupRecord[]> {
  return (await allBackups()).filter((r) => r.runId === runId);
}

export function deleteBackups(runId: string): Promise<void> {
  return run('readwrite', (s) => {
    s.delete(`${runId}/0`);
    s.delete(`${runId}/1`);
  });
}

/** The run ids whose lock some tab's worker holds now (alive runs). */
export async function liveRuns(): Promise<Set<string>> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return new Set();
  const { held = [] } = await locks.query();
  const prefix = runLock('');
  return new Set(held.flatMap((l) => (l.name?.startsWith(prefix) ? [l.name.slice(prefix.length)] : [])));
}

/** The page's kept runs (plain records with an `id`), in no particular order. */
export const allRuns = <R>(): Promise<R[]> => run<R[]>('readonly', (s) => s.getAll() as IDBRequest<R[]>, RUNS);
export const putRun = (record: { id: string }): Promise<void> => run('readwrite', (s) => void s.put(record), RUNS);
export const deleteRun = (id: string): Promise<void> => run('readwrite', (s) => void s.delete(id), RUNS);
