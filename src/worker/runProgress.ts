// Where a training run stands (epochs done, the global step, samples trained, time spent) and
// the loss points not yet posted: the trainer's running means turned into the mean loss of the
// steps since the previous point, sent with the progress line at most every FLUSH_MS.

import type { Logs } from '../model/train/callbacks.ts';
import type { BatchPoint } from './protocol.ts';
import type { Post } from './run.ts';
import type { TrainSettings } from './settings.ts';

const FLUSH_MS = 100;

/** The trainer's running means at the last point of the epoch: where the next delta starts. */
interface EpochStart {
  batch: number;
  loss: number;
  samples: number;
  outputs: Record<string, number>;
}

const epochBegin = (batch = -1, samples = 0): EpochStart => ({ batch, loss: 0, samples, outputs: {} });

export class RunProgress {
  completedEpochs = 0;
  globalStep = 0;
  /** Milliseconds spent fitting, before the current fit call. */
  activeMs = 0;
  private epochStart = epochBegin();
  /** Samples of the current epoch that the trainer's running means leave out (those before a Resume). */
  private epochOffset = 0;
  private samplesDone = 0;
  private pending: BatchPoint[] = [];
  private lastFlush = 0;

  constructor(
    private readonly settings: TrainSettings,
    private readonly outputNames: string[],
    private readonly post: Post,
  ) {}

  get trainCount(): number {
    const { trainSize, validationSplit } = this.settings;
    return validationSplit > 0 ? Math.floor(trainSize * (1 - validationSplit)) : trainSize;
  }

  get stepsPerEpoch(): number {
    return Math.ceil(this.trainCount / this.settings.batchSize);
  }

  /** A fit starts (or resumes) `initialStep` steps into the epoch; returns the epochs done before it. */
  startFit(initialStep: number): number {
    this.epochOffset = Math.min(initialStep * this.settings.batchSize, this.trainCount);
    this.epochStart = epochBegin(initialStep - 1, this.epochOffset);
    return this.completedEpochs;
  }

  /** Queues the mean loss of the steps since the last callback, from the epoch's running means. */
  addBatch(batch: number, logs: Logs): void {
    const samples = Math.min((batch + 1) * this.settings.batchSize, this.trainCount);
    const e = this.epochStart;
    const since = samples - e.samples;
    const covered = (n: number): number => n - this.epochOffset;
    const delta = (now: number, before: number): number => (now * covered(samples) - before * covered(e.samples)) / since;
    this.globalStep += batch - e.batch;
    const point: BatchPoint = { step: this.globalStep, epoch: this.completedEpochs + 1, loss: delta(logs.loss!, e.loss) };
    const names = this.outputNames;
    const lossOf = (name: string): number => logs[`${name}_loss`] ?? 0;
    if (names.length > 1) point.outputs = Object.fromEntries(names.map((n) => [n, delta(lossOf(n), e.outputs[n] ?? 0)]));
    this.epochStart = { batch, loss: logs.loss!, samples, outputs: Object.fromEntries(names.map((n) => [n, lossOf(n)])) };
    this.samplesDone += since;
    this.pending.push(point);
  }

  /** Posts the queued points with the progress line (at most every FLUSH_MS unless forced). */
  flush(force: boolean, fitStarted: number): void {
    const now = performance.now();
    if (!force && now - this.lastFlush < FLUSH_MS) return;
    this.lastFlush = now;
    const ms = this.activeMs + (now - fitStarted);
    const samplesPerSec = ms > 0 ? (this.samplesDone / ms) * 1000 : 0;
    const spe = this.stepsPerEpoch;
    const done = this.completedEpochs * spe + this.epochStart.batch + 1;
    const epoch = Math.min(Math.floor(Math.max(done - 1, 0) / spe) + 1, this.settings.epochs);
    const stepsLeft = this.settings.epochs * spe - done;
    const progress = {
      epoch,
      epochs: this.settings.epochs,
      step: done - (epoch - 1) * spe,
      stepsPerEpoch: spe,
      samplesPerSec,
      etaSec: samplesPerSec > 0 ? (Math.max(stepsLeft, 0) * this.settings.batchSize) / samplesPerSec : 0,
    };
    this.post({ type: 'batches', points: this.pending, progress });
    this.pending = [];
  }

  endEpoch(): void {
    this.completedEpochs += 1;
    this.epochStart = epochBegin();
    this.epochOffset = 0;
  }

  /**
   * A fit paused after `done` steps of the epoch: steps run after the last logged one still
   * count. Returns the step Resume goes on from (0 when the epoch had finished).
   */
  pausedAfter(done: number): number {
    if (done >= this.stepsPerEpoch) return 0;
    this.globalStep += done - 1 - this.epochStart.batch;
    this.samplesDone += Math.min(done * this.settings.batchSize, this.trainCount) - this.epochStart.samples;
    return done;
  }

  /**
   * A run resumed from a backup taken `step` steps into the epoch after `completedEpochs`, whose
   * running means were `logs`: the trainer's means go on from them (its metric sums are restored).
   */
  resumeAt(completedEpochs: number, step: number, logs: Logs): void {
    this.restore(completedEpochs, completedEpochs * this.stepsPerEpoch + step);
    this.epochOffset = 0;
    const names = this.outputNames;
    const samples = Math.min(step * this.settings.batchSize, this.trainCount);
    this.epochStart = { batch: step - 1, loss: logs.loss ?? 0, samples, outputs: Object.fromEntries(names.map((n) => [n, logs[`${n}_loss`] ?? 0])) };
  }

  /** Back to a checkpoint's position (after a lost device); unposted points are dropped. */
  restore(completedEpochs: number, globalStep: number): void {
    this.completedEpochs = completedEpochs;
    this.globalStep = globalStep;
    this.epochStart = epochBegin();
    this.pending = [];
  }
}
