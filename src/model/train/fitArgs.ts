// The arguments of fit/evaluate/predict, checked and filled in with Keras's defaults before any
// engine work: batch size 32, validationSplit taking the last samples before shuffling, data
// arrays whose sample shapes and counts match the model's inputs and outputs.
import type { LayerModel } from '../functional';
import { Random } from '../random';
import type { Callback } from './callbacks';
import type { DataSet, HostTensor } from './engine';
import type { BackupHook, FitSnapshot } from './fitSnapshot';

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  validationSplit?: number;
  validationData?: [HostTensor | HostTensor[], HostTensor | HostTensor[]];
  shuffle?: boolean;
  callbacks?: Callback[];
  /** Seed of the per-epoch shuffle. */
  seed?: number;
  /** Read metrics back (and call onBatchEnd) every this many steps. */
  logEvery?: number;
  /**
   * How often fit keeps a CPU copy of the weights to fall back on when the loss turns NaN or
   * infinite: at each epoch end (default), or at every metrics read ('log', one weight read
   * per logEvery steps).
   */
  keepWeights?: 'epoch' | 'log';
  /**
   * Steps of the first epoch already done by an earlier fit that was stopped (Pause): they are
   * skipped, so with the same seed the epoch goes on where it stopped. The epoch's logs then
   * cover the remaining steps only.
   */
  initialStep?: number;
  /** Takes snapshots of the whole fit state (Keras's BackupAndRestore; see fitSnapshot.ts). */
  backup?: BackupHook;
  /** Goes on from a snapshot: fit then runs epochs snapshot.epoch+1..epochs and returns the whole history. */
  resumeFrom?: FitSnapshot;
}

/** Where fit was when it kept a copy of the weights: epoch (1-based) and steps done in it. */
export interface FitPosition {
  epoch: number;
  step: number;
}

export interface History {
  epoch: number[];
  history: Record<string, number[]>;
}

/**
 * The loss became NaN or infinite. fit has put back the last weights known to be good (those
 * a finite loss was computed with, or else those it started from) in the engine and the
 * layers; `kept` says from when (step 0 of epoch 1: the start). The
 * optimizer state is not restored: start a new run (with a lower learning rate).
 */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  constructor(
    message: string,
    readonly at: FitPosition,
    readonly kept: FitPosition,
  ) {
    super(message);
  }
}

/** Validation samples: separate arrays, or the last samples of the training arrays. */
export type Validation = { data: DataSet; indices: null } | { data: null; indices: Uint32Array };

/** fit's arguments, checked, with the defaults filled in. */
export interface ResolvedFit {
  epochs: number;
  batchSize: number;
  logEvery: number;
  /** The first trainCount samples train; the rest validate when validationSplit > 0. */
  trainCount: number;
  stepsPerEpoch: number;
  validation: Validation | null;
  /** Keep a weight copy at every metrics read, not only at epoch ends. */
  keepEveryLog: boolean;
  initialStep: number;
  shuffle: boolean;
  /** The per-epoch shuffle's generator. */
  rng: Random;
}

/** Sample indices 0..n-1. */
export const range = (n: number): Uint32Array => Uint32Array.from({ length: n }, (_, i) => i);

export const asList = (x: HostTensor | HostTensor[]): HostTensor[] => (Array.isArray(x) ? x : [x]);

export function positiveInt(what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${what} must be a positive integer, got ${JSON.stringify(v)}.`);
  return v;
}

/** Checks input and target arrays against the model; returns the number of samples. */
export function checkData(model: LayerModel, outputNames: string[], x: HostTensor[], y: HostTensor[] | null, where: string): number {
  const inputs = model.inputs;
  if (x.length !== inputs.length) throw new Error(`${where}: the model has ${inputs.length} inputs but ${x.length} input arrays were given.`);
  const n = x[0].shape[0];
  x.forEach((t, i) => {
    const want = inputs[i].shape.slice(1);
    const got = t.shape.slice(1);
    if (want.length !== got.length || want.some((d, k) => d !== null && d !== got[k])) {
      throw new Error(`${where}: input "${inputs[i].layer.name}" expects samples of shape [${want.join(', ')}], got [${got.join(', ')}].`);
    }
    if (t.shape[0] !== n) throw new Error(`${where}: input arrays hold different numbers of samples (${n} and ${t.shape[0]}).`);
    if (t.data.length !== t.shape.reduce((a, b) => a * b, 1)) throw new Error(`${where}: input ${i} has ${t.data.length} values for shape [${t.shape.join(', ')}].`);
  });
  if (y) {
    if (y.length !== outputNames.length) throw new Error(`${where}: the model has ${outputNames.length} outputs but ${y.length} target arrays were given.`);
    y.forEach((t, i) => {
      if (t.shape[0] !== n) throw new Error(`${where}: ${n} input samples but ${t.shape[0]} targets for "${outputNames[i]}".`);
    });
  }
  if (n < 1) throw new Error(`${where}: no samples.`);
  return n;
}

/** The samples that train and those that validate; Keras takes the validation samples from the end, before any shuffling. */
function splitSamples(args: FitArgs, n: number, batchSize: number): { trainCount: number; validation: Validation | null } {
  const split = args.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new Error(`fit: validationSplit must be in [0, 1), got ${JSON.stringify(split)}.`);
  if (split > 0 && args.validationData) throw new Error('fit: pass validationSplit or validationData, not both.');
  const trainCount = split > 0 ? Math.floor(n * (1 - split)) : n;
  if (trainCount < 1 || (split > 0 && trainCount === n)) throw new Error(`fit: validationSplit ${split} of ${n} samples leaves no training or no validation samples.`);
  if (batchSize > trainCount) throw new Error(`fit: batchSize ${batchSize} is larger than the ${trainCount} training samples; use at most ${trainCount}.`);
  if (args.validationData) {
    return { trainCount, validation: { data: { inputs: asList(args.validationData[0]), targets: asList(args.validationData[1]) }, indices: null } };
  }
  if (split > 0) return { trainCount, validation: { data: null, indices: Uint32Array.from({ length: n - trainCount }, (_, i) => trainCount + i) } };
  return { trainCount, validation: null };
}

/**
 * Checks fit's arguments for `n` samples, in the order a user fixes them. `checkValidation`
 * checks separate validation arrays; `seed` is the compile seed, the shuffle's default.
 */
export function resolveFit(args: FitArgs, n: number, engineKind: string, seed: number, checkValidation: (data: DataSet) => void): ResolvedFit {
  const epochs = positiveInt('fit: epochs', args.epochs ?? 1);
  const batchSize = positiveInt('fit: batchSize', args.batchSize ?? 32);
  const logEvery = positiveInt('fit: logEvery', args.logEvery ?? (engineKind === 'cpu' ? 1 : 10));
  const { trainCount, validation } = splitSamples(args, n, batchSize);
  if (validation?.data) checkValidation(validation.data);
  if (args.keepWeights !== undefined && args.keepWeights !== 'epoch' && args.keepWeights !== 'log') {
    throw new Error(`fit: keepWeights must be 'epoch' or 'log', got ${JSON.stringify(args.keepWeights)}.`);
  }
  const rng = new Random(args.seed ?? seed);
  const stepsPerEpoch = Math.ceil(trainCount / batchSize);
  const initialStep = args.initialStep ?? 0;
  if (!Number.isInteger(initialStep) || initialStep < 0 || initialStep >= stepsPerEpoch) {
    throw new Error(`fit: initialStep must be an integer in [0, ${stepsPerEpoch}), got ${JSON.stringify(args.initialStep)}.`);
  }
  const keepEveryLog = args.keepWeights === 'log';
  return { epochs, batchSize, logEvery, trainCount, stepsPerEpoch, validation, keepEveryLog, initialStep, shuffle: args.shuffle ?? true, rng };
}

/** The per-epoch shuffle (Fisher-Yates with the seeded generator). */
export function shuffle(order: Uint32Array, rng: Random): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}
