// Trained models kept in the browser (IndexedDB): one record per name with the Keras model
// JSON, the weight manifest and the weight bytes. A save is one put in one transaction, and it
// counts as done only when the transaction commits: a save that fails at any point (quota, an
// abort, a closed tab) leaves the previous record whole and loadable.

import type { WeightManifestEntry } from '../model/index.ts';

export interface SavedModel {
  name: string;
  savedAt: string;
  modelJson: unknown;
  manifest: WeightManifestEntry[];
  weights: ArrayBuffer;
}

const DB = 'webgpu-keras-playground';
const STORE = 'models';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'name' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
  });
}

async function run<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = body(tx.objectStore(STORE));
      // A request can succeed and its transaction still abort (quota is checked at commit).
      tx.oncomplete = () => resolve(req.result);
      tx.onabort = () => reject(tx.error ?? req.error ?? new Error('The browser storage transaction was aborted; nothing was changed.'));
    });
  } finally {
    db.close();
  }
}

export const putSaved = (m: SavedModel): Promise<IDBValidKey> => run('readwrite', (s) => s.put(m));
export const getSaved = (name: string): Promise<SavedModel | undefined> => run('readonly', (s) => s.get(name) as IDBRequest<SavedModel | undefined>);
export const deleteSaved = (name: string): Promise<undefined> => run('readwrite', (s) => s.delete(name));
export const listSaved = (): Promise<string[]> => run('readonly', (s) => s.getAllKeys()).then((keys) => keys.map(String));
