// What one fit() call carries between the trainer's methods (its plan, order, history and weight
// copies) and the hooks by which runBatches reports.
import type { Callback, TrainingControl } from './callbacks';
import type { DataSet } from './engine';
import type { FitPosition, History, ResolvedFit } from './fitArgs';
import type { BackupHook } from './fitSnapshot';

export interface KeptWeights {
  params: Float32Array;
  at: FitPosition;
}

/** What one fit() call works with: its resolved arguments, data, callbacks and weight copies. */
export interface FitState {
  plan: ResolvedFit;
  data: DataSet;
  callbacks: Callback[];
  control: TrainingControl;
  backup: BackupHook | null;
  order: Uint32Array;
  history: History;
  /** The last weights known to be good: a finite loss was computed with them. */
  good: KeptWeights;
  /** A later copy; it becomes good at the next metrics read with a finite loss. */
  candidate: KeptWeights | null;
}

/** How runBatches reports: `after` every logEvery steps with the metric sums so far, `onOutputs` after every step. */
export interface BatchHooks {
  after?: (batch: number, sums: Float64Array, params: Float32Array | null) => Promise<void>;
  onOutputs?: (start: number, outputs: Float32Array[], count: number) => void;
  /** Read the weights along with the metrics (for `after`). */
  withParams?: boolean;
  /** Steps skipped at the start (a resumed epoch). */
  firstStep?: number;
  /** The metric sums of the skipped steps, when known (a resumed snapshot). */
  initialSums?: Float64Array;
  /** After every step, with the steps done (a backup snapshot). */
  afterStep?: (done: number) => Promise<void>;
}
