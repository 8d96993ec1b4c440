// Backups and the interrupted runs: the current run's id and backup status (from the worker),
// the runs a reload or a crash interrupted (offered for Resume or Discard), the storage use, and
// a worker that died mid-run.

import type { StateCreator } from 'zustand';
import type { BackupStatus } from '../../model/train/backupWriter.ts';
import { discardRun, interruptedRuns, storageUse, type InterruptedRun } from '../../worker/interruptedRuns.ts';
import type { Store } from './store.ts';

export interface BackupSlice {
  /** The run the worker trains now and how its backups go. */
  backupRun: { runId: string; status: BackupStatus } | null;
  interrupted: InterruptedRun[];
  storage: { usage: number; quota: number } | null;
  /** Set when the worker died while this run was alive (the page then offers its backup). */
  lostRun: string | null;
  refreshBackups: () => Promise<void>;
  /** Shows the run's curves and settings and has the worker resume it from its newest backup. */
  resumeRun: (run: InterruptedRun) => void;
  discardRun: (runId: string) => Promise<void>;
}

export const createBackupSlice: StateCreator<Store, [], [], BackupSlice> = (set, get) => ({
  backupRun: null,
  interrupted: [],
  storage: null,
  lostRun: null,
  refreshBackups: async () => {
    const [interrupted, storage] = await Promise.all([interruptedRuns(), storageUse()]);
    set({ interrupted, storage });
  },
  resumeRun: (run) => {
    const meta = run.meta;
    if (!meta) return;
    const { clearRun, setSpec, setSettings, addBatches, send } = get();
    clearRun();
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
