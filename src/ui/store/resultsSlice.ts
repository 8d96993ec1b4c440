// After (and during) training: test results, the look-inside views, and saving/loading.

import type { StateCreator } from 'zustand';
import type { Inside, RegressionResults, TestResults } from '../../worker/protocol.ts';
import type { Store } from './store.ts';

export interface ResultsSlice {
  results: TestResults | RegressionResults | null;
  inside: Inside | null;
  /** Look inside at the start of the current run (its initial weights), for before/after. */
  insideBefore: Inside | null;
  inspectIndex: number;
  /** The outcome of the last save/load, shown next to those buttons. */
  ioMessage: { ok: boolean; text: string } | null;
  setInspectIndex: (i: number) => void;
  setIoMessage: (m: ResultsSlice['ioMessage']) => void;
}

export const createResultsSlice: StateCreator<Store, [], [], ResultsSlice> = (set) => ({
  results: null,
  inside: null,
  insideBefore: null,
  inspectIndex: 0,
  ioMessage: null,
  setInspectIndex: (inspectIndex) => set({ inspectIndex }),
  setIoMessage: (ioMessage) => set({ ioMessage }),
});
