// Backups and the interrupted runs: the current run's id and backup status (from the worker),
// the runs a reload or a crash interrupted (offered for Resume or Discard), the storage use, and
// a worker that died mid-run.

import type { StateCreator } from 'zustand';
import type { BackupStatus } from '../../model/train/backupWriter.ts';
import { datasetFor } from '../../worker/datasets.ts';
import { buildModel } from '../../worker/modelSpec.ts';
import type { RunBackupMeta } from '../../worker/runBackup.ts';
import { newRun, type RunRecord } from '../runs.ts';
import { discardRun, interruptedRuns, storageUse, type InterruptedRun } from '../../worker/interruptedRuns.ts';
import { deleteRun } from '../../worker/backupStore.ts';
import type { Store } from './store.ts';

export interface BackupSlice {
  /** The run the worker trains now and how its backups go. */
  backupRun: { runId: string; status: BackupStatus } | null;
  interrupted: InterruptedRun[];
  /** Runs of earlier sessions, kept in IndexedDB (runs/keptRuns.ts); this session's are the store's `runs`. */
  keptRuns: RunRecord[];
  storage: { usage: number; quota: number } | null;
  /** Set when the worker died while this run was alive (the page then offers its backup). */
  lostRun: string | null;
  refreshBackups: () => Promise<void>;
  /** The worker's word on the current run's backups; the run's record takes the backup's run id, which ties the two. */
  backupMessage: (runId: string, status: BackupStatus) => void;
  /** Removes a kept run from the list (and its backups). */
  deleteRun: (id: string) => Promise<void>;
  /** Shows the run's curves and settings and has the worker resume it from its newest backup. */
  resumeRun: (run: InterruptedRun) => void;
  discardRun: (runId: string) => Promise<void>;
}

export const createBackupSlice: StateCreator<Store, [], [], BackupSlice> = (set, get) => ({
  backupRun: null,
  interrupted: [],
  keptRuns: [],
  storage: null,
  lostRun: null,
  backupMessage: (runId, status) => {
    const { currentRun, runs } = get();
    if (currentRun && currentRun !== runId && !runs.some((r) => r.id === runId)) {
      set({ runs: runs.map((r) => (r.id === currentRun ? { ...r, id: runId } : r)), currentRun: runId });
    }
    set({ backupRun: { runId, status } });
  },
  deleteRun: async (id) => {
    set({ runs: get().runs.filter((r) => r.id !== id), keptRuns: get().keptRuns.filter((r) => r.id !== id), currentRun: get().currentRun === id ? null : get().currentRun });
    await deleteRun(id);
    await get().discardRun(id);
  },
  refreshBackups: async () => {
    const [interrupted, storage] = await Promise.all([interruptedRuns(), storageUse()]);
    set({ interrupted, storage });
  },
  resumeRun: (run) => {
    const meta = run.meta;
    if (!meta) return;
    const { clearRun, setSpec, setSettings, addBatches, send } = get();
    clearRun();
    // The run's record runs again (its curve is drawn anew from the backup's points below).
    set({ runs: resumedRuns(get().runs, get().keptRuns, run.runId, meta), keptRuns: get().keptRuns.filter((r) => r.id !== run.runId), currentRun: run.runId });
    setSpec(meta.spec, null);
    setSettings(meta.settings);
    const { epochs, trainSize, validationSplit, batchSize } = meta.settings;
    const trainCount = validationSplit > 0 ? Math.floor(trainSize * (1 - validationSplit)) : trainSize;
    const stepsPerEpoch = Math.ceil(trainCount / batchSize);
    if (meta.batchPoints.length > 0) addBatches(meta.batchPoints, { epoch: Math.min(run.epochsDone + 1, epochs), epochs, step: run.step, stepsPerEpoch, samplesPerSec: 0, etaSec: 0 });
    set({ epochPoints: meta.epochPoints, interrupted: get().interrupted.filter((r) => r.runId !== run.runId), lostRun: null, error: null, phase: 'loading' });
    send({ type: 'resumeBackup', runId: run.runId });
  },
  discardRun: async (runId) => {
    await discardRun(runId);
    set({ lostRun: get().lostRun === runId ? null : get().lostRun });
    await get().refreshBackups();
  },
});

/** This session's runs with the resumed run running again: its record (this session's or a kept one), or a new one from the backup when it was deleted. */
function resumedRuns(runs: RunRecord[], keptRuns: RunRecord[], id: string, meta: RunBackupMeta): RunRecord[] {
  const curve: RunRecord['curve'] = [];
  const again = (r: RunRecord): RunRecord => ({ ...r, status: 'running', epochs: meta.epochPoints, curve });
  if (runs.some((r) => r.id === id)) return runs.map((r) => (r.id === id ? again(r) : r));
  const kept = keptRuns.find((r) => r.id === id);
  if (kept) return [...runs, again(kept)];
  const fits = datasetFor(buildModel(meta.spec));
  const record = newRun(id, meta.spec.name, meta.spec, meta.settings, 'kind' in fits ? fits.kind : 'fashion-mnist');
  return [...runs, { ...record, epochs: meta.epochPoints, curve }];
}
