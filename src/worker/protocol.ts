// The typed messages between the page and the training worker. Both sides switch over `type`
// exhaustively (`msg satisfies never`). The worker sends deltas (new points), never histories.

import type { ModelSpec } from './modelSpec.ts';
import type { AutoChoice } from './engineChoice.ts';
import type { EngineKind, TrainSettings } from './settings.ts';
import type { CompileArgs, WeightManifestEntry } from '../model/index.ts';
import type { BackupStatus } from '../model/train/backupWriter.ts';
import type { FitSettings, NamedBytes, NamingLayout, WriteFormat } from '../model/io/types.ts';

/** What opening model files gave: the spec, and the weights, training settings and notes they carried. */
export interface Opened {
  spec: ModelSpec;
  /** Present when the files carried weights (the page then imports them as the trained model). */
  weights?: { manifest: WeightManifestEntry[]; data: ArrayBuffer };
  compile?: CompileArgs;
  fit?: FitSettings;
  /** What was read ("Keras 3 .keras file", ...). */
  format: string;
  notes: string[];
  /** The file names, for messages. */
  names: string[];
}

export type ToWorker =
  /** Find out which engines work here (sent once at start). */
  | { type: 'probe' }
  | { type: 'train'; spec: ModelSpec; settings: TrainSettings }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Resume an interrupted run from its newest backup in IndexedDB (see runBackup.ts). */
  | { type: 'resumeBackup'; runId: string }
  /** Back runs up every this many steps instead of about every 30 s (the page's ?backupEvery=N, for tests). */
  | { type: 'backupPolicy'; everySteps: number }
  /** Feature maps of this test image (and the first conv layer's filters). */
  | { type: 'inspect'; imageIndex: number }
  /** Reply with the trained model's JSON and weights (for saving). */
  | { type: 'export' }
  /** Take a model with weights (loaded from IndexedDB or files) as the trained model. */
  | { type: 'import'; spec: ModelSpec; manifest: WeightManifestEntry[]; weights: ArrayBuffer; settings: TrainSettings }
  /**
   * Read model files (buffers transferred); a lone .weights.h5 loads into `spec`'s model.
   * Answered by 'opened' or 'fileError' with the same id.
   */
  | { type: 'openFiles'; id: number; files: NamedBytes[]; layout: NamingLayout; spec: ModelSpec }
  /**
   * Write the current model (the trained one when its spec is `spec`, else `spec` freshly
   * initialized) in `format` (Python with `pythonWeights`: also its .weights.h5, loaded in the
   * code); answered by 'files' or 'fileError' with the same id.
   */
  | { type: 'writeFiles'; id: number; format: WriteFormat; spec: ModelSpec; settings: TrainSettings; pythonWeights?: boolean };

/** 'done': all epochs trained and evaluated; 'stopped': Stop ended the run early (then evaluated). */
export type Phase = 'idle' | 'loading' | 'compiling' | 'training' | 'paused' | 'stopping' | 'evaluating' | 'done' | 'stopped' | 'error';

export interface BatchPoint {
  /** Global step, counting from 1 over the whole run. */
  step: number;
  epoch: number;
  /** Mean loss of the steps since the previous point. */
  loss: number;
  /** Per-output losses of multi-output models, same meaning. */
  outputs?: Record<string, number>;
}

export interface EpochPoint {
  epoch: number;
  /** Keras logs: loss, accuracy, val_loss, val_accuracy, <output>_loss, ... */
  logs: Record<string, number>;
  /** Seconds spent training this epoch (pauses left out), for the fit() log. */
  seconds?: number;
}

export interface Progress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  samplesPerSec: number;
  etaSec: number;
}

export interface TestResults {
  /** Accuracy per output name. */
  accuracy: Record<string, number>;
  count: number;
  /** confusion[true][predicted] counts, first output. */
  confusion: number[][];
  /** The first test image of each confusion cell (-1 when the cell is empty), to open it in Look inside. */
  firstInCell?: number[][];
  /** Gallery samples: test images with predicted probabilities (first output). */
  gallery: Sample[];
  /** The most confidently wrong test images. */
  wrong: Sample[];
}

/** A regression run's test results: per output, its errors and (true, predicted) pairs for a scatter plot. */
export interface RegressionResults {
  kind: 'regression';
  count: number;
  outputs: { name: string; mse: number; mae: number; truth: number[]; predicted: number[] }[];
}

export interface Sample {
  index: number;
  label: number;
  predicted: number;
  probs: number[];
  /** 28*28 bytes. */
  pixels: Uint8Array;
}

export interface FeatureMap {
  layer: string;
  className: string;
  /** [H, W, C] */
  shape: [number, number, number];
  values: Float32Array;
}

export interface Inside {
  imageIndex: number;
  label: number;
  pixels: Uint8Array;
  /** First Conv2D's kernels, [kh, kw, inC, outC] as Keras stores them. */
  filters: { layer: string; shape: [number, number, number, number]; values: Float32Array } | null;
  maps: FeatureMap[];
}

export type FromWorker =
  | { type: 'engines'; webgpu: { ok: true; adapter: string } | { ok: false; reason: string } }
  | { type: 'phase'; phase: Phase; detail?: string }
  /** The engine a run trains on; with the Auto engine, each engine's rate on a few timed steps and why this one. */
  | { type: 'engine'; kind: EngineKind; description: string; note?: string; auto?: AutoChoice }
  | { type: 'batches'; points: BatchPoint[]; progress: Progress }
  | { type: 'epoch'; point: EpochPoint }
  /** The current run's id and how its backups go (written, where, or why they stopped). */
  | { type: 'backup'; runId: string; status: BackupStatus }
  | { type: 'results'; results: TestResults | RegressionResults }
  | { type: 'inside'; inside: Inside }
  | { type: 'exported'; modelJson: unknown; manifest: WeightManifestEntry[]; weights: ArrayBuffer }
  | { type: 'opened'; id: number; opened: Opened }
  /** The written files; `trained` says whether they carry trained weights. */
  | { type: 'files'; id: number; files: NamedBytes[]; trained: boolean }
  | { type: 'fileError'; id: number; message: string }
  /**
   * kind 'nan': the loss blew up; 'data': Fashion-MNIST is missing; 'input': a bad model/file;
   * 'device': the GPU device was lost (the run is paused on a new one, or in the error phase).
   */
  | { type: 'error'; kind: ErrorKind; message: string };

export type ErrorKind = 'nan' | 'data' | 'input' | 'device' | 'other';
