// The page's one zustand store, built from slices. Components select single fields; the worker
// bridge and the URL sync update it from outside React (useStore.getState / setState).

import { create } from 'zustand';
import type { FromWorker, ToWorker } from '../../worker/protocol.ts';
import { createModelSlice, type ModelSlice } from './modelSlice.ts';
import { createResultsSlice, type ResultsSlice } from './resultsSlice.ts';
import { createTrainingSlice, type TrainingSlice } from './trainingSlice.ts';

export interface BridgeSlice {
  /** Sends a message to the training worker (set by the bridge when it starts). */
  send: (msg: ToWorker) => void;
  /** Asks the worker for the trained model's JSON and weights. */
  requestExport: () => Promise<Extract<FromWorker, { type: 'exported' }>>;
}

export type Store = ModelSlice & TrainingSlice & ResultsSlice & BridgeSlice;

export const useStore = create<Store>()((...a) => ({
  ...createModelSlice(...a),
  ...createTrainingSlice(...a),
  ...createResultsSlice(...a),
  send: () => undefined,
  requestExport: () => Promise.reject(new Error('the training worker has not started')),
}));
