// Learning-rate callbacks as in Keras 3 (keras/src/callbacks/reduce_lr_on_plateau.py,
// learning_rate_scheduler.py) and a CSVLogger-like record of each epoch's logs with the
// learning rate, for a download: the callbacks change the optimizer's rate through the
// TrainingControl, which the engine then uses for every following step.
import { finite, Monitor, unfinite, type Callback, type CallbackState, type Logs, type MonitorArgs, type TrainingControl } from './callbacks';
import type { History } from './fitArgs';

export interface ReduceLROnPlateauArgs extends MonitorArgs {
  /** new lr = lr * factor; must be below 1. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** The rate is never reduced below this. Default 0. */
  minLr?: number;
}

/** Multiplies the learning rate by `factor` when the monitored metric stopped improving for `patience` epochs. */
export class ReduceLROnPlateau implements Callback {
  private readonly args: Required<Pick<ReduceLROnPlateauArgs, 'factor' | 'patience' | 'cooldown' | 'minLr'>> & MonitorArgs;
  private m!: Monitor;
  private wait = 0;
  private cooldownCounter = 0;
  /** Epochs (from 0) at which the rate was reduced, and to what. */
  readonly reductions: { epoch: number; learningRate: number }[] = [];

  constructor(args: ReduceLROnPlateauArgs = {}) {
    const { factor = 0.1, patience = 10, cooldown = 0, minLr = 0 } = args;
    if (!(factor < 1) || !(factor >= 0)) throw new Error(`ReduceLROnPlateau: factor must be in [0, 1) (the rate is multiplied by it), got ${factor}.`);
    if (!Number.isInteger(patience) || patience < 0) throw new Error(`ReduceLROnPlateau: patience must be a whole number >= 0, got ${patience}.`);
    if (!Number.isInteger(cooldown) || cooldown < 0) throw new Error(`ReduceLROnPlateau: cooldown must be a whole number >= 0, got ${cooldown}.`);
    if (!(minLr >= 0)) throw new Error(`ReduceLROnPlateau: minLr must be a number >= 0, got ${minLr}.`);
    this.args = { ...args, minDelta: args.minDelta ?? 1e-4, factor, patience, cooldown, minLr };
    this.onTrainBegin();
  }

  onTrainBegin(): void {
    this.m = new Monitor(this.args);
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  getState(): CallbackState {
    return { kind: 'ReduceLROnPlateau', json: { wait: this.wait, cooldownCounter: this.cooldownCounter, best: finite(this.m.best), reductions: [...this.reductions] }, weights: null };
  }

  /** The rate itself comes back with the optimizer's state; this is when to change it next. */
  setState(s: CallbackState): void {
    [this.wait, this.cooldownCounter, this.m.best] = [Number(s.json.wait), Number(s.json.cooldownCounter), unfinite(s.json.best)];
    const reductions = Array.isArray(s.json.reductions) ? s.json.reductions : [];
    this.reductions.splice(0, this.reductions.length, ...reductions);
  }

  onEpochEnd(epoch: number, logs: Logs, control: TrainingControl): void {
    const inCooldown = () => this.cooldownCounter > 0;
    if (inCooldown()) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.m.improved(logs)) {
      this.wait = 0;
      return;
    }
    if (inCooldown()) return;
    this.wait += 1;
    if (this.wait < this.args.patience) return;
    const old = control.getLearningRate();
    if (old > Math.fround(this.args.minLr)) {
      const lr = Math.max(old * this.args.factor, this.args.minLr);
      control.setLearningRate(lr);
      this.reductions.push({ epoch, learningRate: lr });
      this.cooldownCounter = this.args.cooldown;
      this.wait = 0;
    }
  }
}

/** Sets the learning rate at the start of every epoch from schedule(epoch, current rate) (epochs count from 0). */
export class LearningRateScheduler implements Callback {
  constructor(private readonly schedule: (epoch: number, lr: number) => number) {
    if (typeof schedule !== 'function') throw new Error('LearningRateScheduler: pass a function (epoch, lr) => lr.');
  }

  onEpochBegin(epoch: number, control: TrainingControl): void {
    const lr = this.schedule(epoch, control.getLearningRate());
    if (typeof lr !== 'number' || !Number.isFinite(lr)) throw new Error(`LearningRateScheduler: the schedule returned ${JSON.stringify(lr)} for epoch ${epoch}; it must return a number.`);
    control.setLearningRate(lr);
  }
}

/** Keeps every epoch's logs with the learning rate they ended with: CSVLogger without a file system. */
export class CsvLogger implements Callback {
  readonly rows: (Logs & { epoch: number })[] = [];

  onEpochEnd(epoch: number, logs: Logs, control: TrainingControl): void {
    this.rows.push({ epoch, ...logs, learning_rate: control.getLearningRate() });
  }

  /** Keras CSVLogger's layout: a header of epoch and the sorted log keys, one line per epoch. */
  toCsv(): string {
    return logsToCsv(this.rows);
  }
}

/** A fit's History as CSV (epoch, loss, metrics, val_*, and learning_rate when recorded). */
export function historyToCsv(history: History): string {
  const keys = Object.keys(history.history);
  return logsToCsv(history.epoch.map((epoch, i) => ({ epoch, ...Object.fromEntries(keys.map((k) => [k, history.history[k][i]])) })));
}

function logsToCsv(rows: (Logs & { epoch: number })[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'epoch').sort();
  const lines = [['epoch', ...keys].join(',')];
  for (const r of rows) lines.push([r.epoch, ...keys.map((k) => (r[k] === undefined ? '' : String(r[k])))].join(','));
  return `${lines.join('\n')}\n`;
}
