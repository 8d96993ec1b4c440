// The runs of this session as records: which model and settings each trained, its per-epoch
// history, a thinned smoothed loss curve, and how it ended. Plain data (no React, no functions),
// so a record can be kept across reloads as it is. The charts overlay the last few.

import type { EpochPoint, Phase } from '../worker/protocol.ts';
import type { DatasetKind } from '../worker/datasets.ts';
import type { ModelSpec } from '../worker/modelSpec.ts';
import type { TrainSettings } from '../worker/settings.ts';

export type RunStatus = 'running' | 'finished' | 'stopped' | 'failed';

export interface RunRecord {
  id: string;
  /** "Ch. 8 CNN (Sequential) · Adam 0.001 · batch 32 · 3 epochs": what the legend and the log say. */
  label: string;
  /** The model's title (an example's, or the model's name once edited). */
  model: string;
  spec: ModelSpec;
  settings: TrainSettings;
  dataset: DatasetKind;
  startedAt: string;
  status: RunStatus;
  /** The engine that trained it ("CPU (WebAssembly SIMD, 2 threads)"). */
  engine: string | null;
  epochs: EpochPoint[];
  /** The smoothed loss by global step, at most MAX_CURVE points. */
  curve: { step: number; loss: number }[];
}

export const MAX_CURVE = 200;
/** How many earlier runs the charts draw under the current one. */
export const OVERLAID = 4;

const OPTIMIZER_NAMES: Record<TrainSettings['optimizer'], string> = {
  adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop', adamw: 'AdamW', adagrad: 'Adagrad', adadelta: 'Adadelta', adamax: 'Adamax', nadam: 'Nadam',
};

export const optimizerName = (o: TrainSettings['optimizer']): string => OPTIMIZER_NAMES[o] ?? o;

/** The settings that tell runs apart, in one short line. */
export function settingsLine(s: TrainSettings): string {
  return `${optimizerName(s.optimizer)} ${s.learningRate} · batch ${s.batchSize} · ${s.epochs} epoch${s.epochs === 1 ? '' : 's'} · seed ${s.seed}`;
}

export function newRun(id: string, model: string, spec: ModelSpec, settings: TrainSettings, dataset: DatasetKind): RunRecord {
  return {
    id, model, spec, settings, dataset,
    label: `${model} · ${settingsLine(settings)}`,
    startedAt: new Date().toISOString(),
    status: 'running',
    engine: null,
    epochs: [],
    curve: [],
  };
}

/** `curve` with new points, every other point dropped while it is over MAX_CURVE. */
export function extendCurve(curve: RunRecord['curve'], points: RunRecord['curve']): RunRecord['curve'] {
  let list = [...curve, ...points];
  while (list.length > MAX_CURVE) list = list.filter((_, i) => i % 2 === 0 || i === list.length - 1);
  return list;
}

/** How a run ended, from the phase the worker reached (null while it goes on). */
export function statusOf(phase: Phase): RunStatus | null {
  if (phase === 'done') return 'finished';
  if (phase === 'stopped') return 'stopped';
  if (phase === 'error') return 'failed';
  return null;
}

/** Whether the worker is working through a run (not idle, paused or ended): settings and Start wait. */
export function isBusy(phase: Phase): boolean {
  return phase === 'loading' || phase === 'compiling' || phase === 'training' || phase === 'stopping' || phase === 'evaluating';
}

/** What the page says for each phase. */
export const PHASE_LABELS: Record<Phase, string> = {
  idle: 'Ready',
  loading: 'Loading data…',
  compiling: 'Compiling…',
  training: 'Training',
  paused: 'Paused',
  stopping: 'Stopping…',
  evaluating: 'Evaluating on the test set…',
  done: 'Finished',
  stopped: 'Stopped early',
  error: 'Failed',
};
