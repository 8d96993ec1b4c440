// The page's one zustand store, built from slices. Components select single fields; the worker
// bridge and the URL sync update it from outside React (useStore.getState / setState).

import { create } from 'zustand';
import type { NamedBytes, NamingLayout, WriteFormat } from '../../model/io/types.ts';
import type { FromWorker, Opened, ToWorker } from '../../worker/protocol.ts';
import { createBackupSlice, type BackupSlice } from './backupSlice.ts';
import { createCodeSlice, type CodeSlice } from './codeSlice.ts';
import { createModelSlice, type ModelSlice } from './modelSlice.ts';
import { createResultsSlice, type ResultsSlice } from './resultsSlice.ts';
import { createRunsSlice, type RunsSlice } from './runsSlice.ts';
import { createTrainingSlice, type TrainingSlice } from './trainingSlice.ts';

export interface BridgeSlice {
  /** Sends a message to the training worker (set by the bridge when it starts). */
  send: (msg: ToWorker) => void;
  /** Asks the worker for the trained model's JSON and weights. */
  requestExport: () => Promise<Extract<FromWorker, { type: 'exported' }>>;
  /** Has the worker read model files (their buffers are transferred). */
  openFiles: (files: NamedBytes[], layout: NamingLayout) => Promise<Opened>;
  /** Has the worker write the page's model (trained when it is the trained one) in `format` (Python: with its .weights.h5 if asked). */
  writeFiles: (format: WriteFormat, pythonWeights?: boolean) => Promise<{ files: NamedBytes[]; trained: boolean }>;
}

export type Store = ModelSlice & TrainingSlice & ResultsSlice & RunsSlice & CodeSlice & BackupSlice & BridgeSlice;

export const useStore = create<Store>()((...a) => ({
  ...createModelSlice(...a),
  ...createTrainingSlice(...a),
  ...createResultsSlice(...a),
  ...createRunsSlice(...a),
  ...createCodeSlice(...a),
  ...createBackupSlice(...a),
  send: () => undefined,
  requestExport: () => Promise.reject(new Error('the training worker has not started')),
  openFiles: () => Promise.reject(new Error('the training worker has not started')),
  writeFiles: () => Promise.reject(new Error('the training worker has not started')),
}));
