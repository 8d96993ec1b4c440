// Keras-style callbacks: hooks on batch and epoch ends with the metric logs, EarlyStopping that
// restores the best weights whenever training ends, and keeping the best weights in memory
// (ModelCheckpoint with save_best_only, without a file system). Callbacks with a state (wait
// counts, the best score and weights) hand it to training backups and take it back on resume,
// so a resumed run stops and restores where an uninterrupted one does.

export type Logs = Record<string, number>;

/** What a callback may do to the training it watches. */
export interface TrainingControl {
  stop(): void;
  /** The current packed weights (read back from the engine). */
  readWeights(): Promise<Float32Array>;
  writeWeights(params: Float32Array): void;
  /** The optimizer's learning rate for the next step; setting it is refused under a schedule. */
  getLearningRate(): number;
  setLearningRate(lr: number): void;
}

/** A callback's state in a backup: plain JSON (numbers may be null for Infinity) and a weight copy. */
export interface CallbackState {
  kind: string;
  json: Record<string, number | null | { epoch: number; learningRate: number }[]>;
  weights: Float32Array | null;
}

/** Infinity (a Monitor's best before any epoch) does not survive JSON: null stands for it. */
export const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
export const unfinite = (v: unknown): number => (typeof v === 'number' ? v : Infinity);

export interface Callback {
  /** The state a backup keeps (taken at a step boundary, after the epoch-end hooks), restored after onTrainBegin on resume. */
  getState?(): CallbackState;
  setState?(state: CallbackState): void;
  onTrainBegin?(control: TrainingControl): void | Promise<void>;
  onEpochBegin?(epoch: number, control: TrainingControl): void | Promise<void>;
  /** `batch` counts from 0 within the epoch; logs are the epoch's running means so far. */
  onBatchEnd?(batch: number, logs: Logs, control: TrainingControl): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs, control: TrainingControl): void | Promise<void>;
  onTrainEnd?(logs: Logs, control: TrainingControl): void | Promise<void>;
}

export interface MonitorArgs {
  monitor?: string;
  /** 'auto' picks 'max' for accuracy-like names, 'min' otherwise (Keras's rule). */
  mode?: 'auto' | 'min' | 'max';
  minDelta?: number;
}

export class Monitor {
  readonly monitor: string;
  readonly sign: number;
  readonly minDelta: number;
  best = Infinity;

  constructor(args: MonitorArgs) {
    this.monitor = args.monitor ?? 'val_loss';
    const mode = args.mode ?? 'auto';
    const max = mode === 'max' || (mode === 'auto' && /acc/.test(this.monitor));
    this.sign = max ? -1 : 1;
    this.minDelta = Math.abs(args.minDelta ?? 0);
  }

  /** True when logs[monitor] improves on the best so far by more than minDelta. */
  improved(logs: Logs): boolean {
    const v = logs[this.monitor];
    if (v === undefined) {
      throw new Error(`the monitored metric '${this.monitor}' is not in the logs (${Object.keys(logs).join(', ')}). Pass validationSplit or validationData for val_ metrics.`);
    }
    const score = this.sign * v;
    if (score < this.best - this.minDelta) {
      this.best = score;
      return true;
    }
    return false;
  }
}

/** Keeps a copy of the weights of the best epoch by a monitored metric. */
export class BestWeights implements Callback {
  private readonly m: Monitor;
  weights: Float32Array | null = null;
  bestEpoch = -1;

  constructor(args: MonitorArgs = {}) {
    this.m = new Monitor(args);
  }

  get monitor(): string {
    return this.m.monitor;
  }

  async onEpochEnd(epoch: number, logs: Logs, control: TrainingControl): Promise<void> {
    if (this.m.improved(logs)) {
      this.weights = await control.readWeights();
      this.bestEpoch = epoch;
    }
  }

  getState(): CallbackState {
    return { kind: 'BestWeights', json: { best: finite(this.m.best), bestEpoch: this.bestEpoch }, weights: this.weights };
  }

  setState(s: CallbackState): void {
    [this.m.best, this.bestEpoch, this.weights] = [unfinite(s.json.best), Number(s.json.bestEpoch), s.weights];
  }
}

export interface EarlyStoppingArgs extends MonitorArgs {
  patience?: number;
  restoreBestWeights?: boolean;
}

export class EarlyStopping implements Callback {
  private readonly m: Monitor;
  private readonly patience: number;
  private readonly restore: boolean;
  private wait = 0;
  private best: Float32Array | null = null;
  bestEpoch = -1;
  stoppedEpoch = -1;

  constructor(args: EarlyStoppingArgs = {}) {
    this.m = new Monitor(args);
    this.patience = args.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new Error(`EarlyStopping: patience must be an integer >= 0, got ${args.patience}.`);
    this.restore = args.restoreBestWeights ?? false;
  }

  async onEpochEnd(epoch: number, logs: Logs, control: TrainingControl): Promise<void> {
    if (this.m.improved(logs)) {
      this.wait = 0;
      this.bestEpoch = epoch;
      if (this.restore) this.best = await control.readWeights();
      return;
    }
    // Keras 3: stop once `patience` epochs in a row brought no improvement.
    this.wait += 1;
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      control.stop();
    }
  }

  getState(): CallbackState {
    const json = { wait: this.wait, best: finite(this.m.best), bestEpoch: this.bestEpoch, stoppedEpoch: this.stoppedEpoch };
    return { kind: 'EarlyStopping', json, weights: this.best };
  }

  setState(s: CallbackState): void {
    [this.wait, this.m.best, this.bestEpoch, this.stoppedEpoch] = [Number(s.json.wait), unfinite(s.json.best), Number(s.json.bestEpoch), Number(s.json.stoppedEpoch)];
    this.best = s.weights;
  }

  /** Restores the best weights whenever training ends, stopped early or not. */
  onTrainEnd(_logs: Logs, control: TrainingControl): void {
    if (this.restore && this.best) control.writeWeights(this.best);
  }
}
