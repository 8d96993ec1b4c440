// The page's view of training backups in IndexedDB (run on the page's thread): the interrupted runs (backups whose run no
// tab's worker holds: a reload, a closed tab, a crash, a dead worker) with what the Resume offer
// shows, their removal, and the browser's storage use.

import { BackupError, decodeBackup } from '../model/train/backupFile.ts';
import { allBackups, deleteBackups, liveRuns, type BackupRecord } from './backupStore.ts';
import type { RunBackupMeta } from './runBackup.ts';

export interface InterruptedRun {
  runId: string;
  savedAt: number;
  /** Epochs done and steps of the next one when the backup was written. */
  epochsDone: number;
  step: number;
  /** The backup's run (model, settings, curves), or null with `problem` when it cannot be read. */
  meta: RunBackupMeta | null;
  problem: string | null;
  bytes: number;
}

/** One run's records (newest first) as an offer: the newest whole backup; torn ones are skipped. */
function readRun(runId: string, records: BackupRecord[]): InterruptedRun {
  const bytes = records.reduce((n, r) => n + r.bytes.byteLength, 0);
  let problem = `Every backup of this run is torn.`;
  for (const record of records) {
    try {
      const b = decodeBackup<RunBackupMeta>(new Uint8Array(record.bytes), 'This backup');
      return { runId, savedAt: b.savedAt, epochsDone: b.meta.fitBase + b.snapshot.epoch, step: b.snapshot.step, meta: b.meta, problem: null, bytes };
    } catch (e) {
      if (!(e instanceof BackupError)) throw e;
      problem = e.message;
      if (e.problem !== 'torn') break;
    }
  }
  return { runId, savedAt: records[0]?.savedAt ?? 0, epochsDone: 0, step: 0, meta: null, problem, bytes };
}

/** The runs with backups that no live worker holds, newest first. */
export async function interruptedRuns(): Promise<InterruptedRun[]> {
  const [records, live] = await Promise.all([allBackups(), liveRuns()]);
  const byRun = new Map<string, BackupRecord[]>();
  for (const r of records) if (!live.has(r.runId)) byRun.set(r.runId, [...(byRun.get(r.runId) ?? []), r]);
  return [...byRun].map(([id, list]) => readRun(id, list)).sort((a, b) => b.savedAt - a.savedAt);
}

export const discardRun = (runId: string): Promise<void> => deleteBackups(runId);

/** The origin's storage use and quota in bytes (null where the browser does not say). */
export async function storageUse(): Promise<{ usage: number; quota: number } | null> {
  if (!navigator.storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  return { usage, quota };
}
