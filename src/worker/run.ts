// One training run in the worker: a model compiled on an engine, fitted on a Fashion-MNIST
// subset with Pause (stop after the current step, keep the trainer), Resume (fit the remaining
// epochs) and Stop (then evaluate on the test images). It turns the trainer's callbacks into
// throttled delta messages; the trainer keeps the last good weights in case the loss turns NaN.
// Every snapshot of the fit (runBackup.ts: at epoch ends, on Pause, and every ~30 s where the page
// backs runs up) is a point the run can go on from. Resume after a Pause, a reloaded page's
// Resume and the recovery from a lost GPU device all take one path, resumeFrom(point): after a
// lost device the point is the run's newest backup read back from IndexedDB (the one a reload
// would resume), or, where nothing was stored, the newest snapshot in memory.

import type { Model } from '../model/index.ts';
import type { Callback } from '../model/train/callbacks.ts';
import { DeviceLostError } from '../gpu/device.ts';
import type { Engine, HostTensor } from '../model/train/engine.ts';
import { samples, type TrainingData } from './datasets.ts';
import { NonFiniteLossError, Trainer, type FitArgs } from '../model/train/trainer.ts';
import { Inspector } from './inspect.ts';
import type { FromWorker, Phase } from './protocol.ts';
import { regressionResults, testResults } from './results.ts';
import type { ResumePoint, RunBackup } from './runBackup.ts';
import { RunPoints } from './runPoints.ts';
import { deviceLostMessage, nanMessage } from './runMessages.ts';
import { RunProgress } from './runProgress.ts';
import { compileArgs } from './compileArgs.ts';
import type { TrainSettings } from './settings.ts';

export { compileArgs } from './compileArgs.ts';
export type Post = (msg: FromWorker, transfer?: Transferable[]) => void;

const PIXELS = 28 * 28;
const INSPECT_MS = 2500;

export class TrainingRun {
  private readonly progress: RunProgress;
  private lastInspect = 0;
  private pauseRequested = false;
  private stopRequested = false;
  private fitting = false;
  private inspectIndex = 0;
  /** Training time of the current epoch before this fit call (a Pause splits an epoch). */
  private epochMsBefore = 0;
  private epochClock = 0;
  /** Backups to IndexedDB (runBackup.ts), the point the next fit goes on from, epochs done when the run's fits began. */
  private backup: RunBackup | null = null;
  private resumed: ResumePoint | null = null;
  private fitBase = 0;
  private readonly points = new RunPoints();
  phase: Phase = 'compiling';

  constructor(
    readonly model: Model,
    private trainer: Trainer,
    private readonly inspector: Inspector,
    private readonly settings: TrainSettings,
    private readonly data: TrainingData,
    private readonly post: Post,
    /** A fresh engine of the same kind, for moving on after the GPU device is lost. */
    private readonly newEngine: () => Promise<Engine> = () => Promise.reject(new Error('this run cannot create another engine')),
  ) {
    this.progress = new RunProgress(settings, model.outputs.map((t) => t.layer.name), post);
  }

  get engine(): Engine {
    return this.trainer.engine;
  }

  /** The newest point the run could go on from (the last snapshot in memory). */
  get lastSnapshot(): ResumePoint | null {
    return this.points.last;
  }

  /** Backs the run up from now on; with `from`, the next fit goes on from that backup (a reloaded page's Resume). */
  useBackup(backup: RunBackup, from: ResumePoint | null = null): void {
    this.backup = backup;
    if (from) this.resumeFrom(from);
  }

  /** The next fit goes on from `point`: its weights, optimizer state, order and position (Pause, reload and lost device alike). */
  private resumeFrom(point: ResumePoint): void {
    [this.resumed, this.points.last, this.fitBase] = [point, point, point.fitBase];
    this.progress.resumeAt(point.fitBase + point.snapshot.epoch, point.snapshot.step, point.snapshot.logs);
    this.trainer.engine.writeState(point.snapshot.engine);
  }

  private setPhase(phase: Phase, detail?: string): void {
    this.phase = phase;
    this.post({ type: 'phase', phase, ...(detail ? { detail } : {}) });
  }

  private outputNames(): string[] {
    return this.model.outputs.map((t) => t.layer.name);
  }

  /** Fits the epochs not yet done; returns when they are done, paused, stopped or failed. */
  async fit(): Promise<void> {
    if (this.fitting) return;
    this.fitting = true;
    this.pauseRequested = false;
    this.setPhase('training');
    const started = performance.now();
    this.epochClock = started;
    if (!this.resumed) this.fitBase = this.progress.startFit(0);
    this.points.start ??= this.trainer.packWeights();
    try {
      const { x, y } = samples(this.data, 'train', this.settings.trainSize, this.model);
      await this.trainer.fit(x, y, this.fitArgs(started));
    } catch (e) {
      this.fitting = false;
      this.progress.activeMs += performance.now() - started;
      if (e instanceof DeviceLostError) return this.recover(e);
      return this.failed(e);
    }
    this.fitting = false;
    this.progress.activeMs += performance.now() - started;
    this.progress.flush(true, performance.now());
    if (this.pauseRequested && !this.stopRequested) {
      // Steps run after the last logged one still count (their samples); Resume goes on from the
      // snapshot fit took where it stopped, as after a reload.
      this.progress.pausedAfter(this.trainer.stepsDone);
      this.epochMsBefore += performance.now() - this.epochClock;
      if (this.points.last) this.resumeFrom(this.points.last);
      return this.setPhase('paused');
    }
    await this.finish();
  }

  /** The trainer's fit arguments for the epochs not yet done, with the callback that posts points and epochs. */
  private fitArgs(started: number): FitArgs {
    const progress = this.progress;
    const callback: Callback = {
      onBatchEnd: async (batch, logs, control) => {
        progress.addBatch(batch, logs);
        progress.flush(false, started);
        if (performance.now() - this.lastInspect > INSPECT_MS) await this.refreshInside(await control.readWeights());
      },
      onEpochEnd: async (_epoch, logs, control) => {
        // Flush while the epoch still counts as running: the progress reads "epoch N, step S/S",
        // not a step past the end (a step past it would read "1:16" at batch 8 of 16).
        progress.flush(true, started);
        progress.endEpoch();
        const now = performance.now();
        const seconds = (this.epochMsBefore + now - this.epochClock) / 1000;
        this.epochMsBefore = 0;
        this.epochClock = now;
        this.post({ type: 'epoch', point: { epoch: progress.completedEpochs, logs: { ...logs }, seconds } });
        await this.refreshInside(await control.readWeights());
      },
    };
    const resumed = this.resumed;
    this.resumed = null;
    return {
      backup: this.points.hook(this.backup, this.fitBase),
      ...(resumed ? { resumeFrom: resumed.snapshot } : {}),
      epochs: this.settings.epochs - this.fitBase,
      batchSize: this.settings.batchSize,
      validationSplit: this.settings.validationSplit,
      seed: this.settings.seed + this.fitBase,
      // About 50 points per epoch for the live curve; each read waits for the GPU.
      logEvery: Math.max(1, Math.min(10, Math.round(progress.stepsPerEpoch / 50))),
      callbacks: [callback],
      // A weight copy per loss point: a NaN loss falls back on the weights of the point before.
      keepWeights: 'log',
    };
  }

  /**
   * After a lost device: a new engine, paused for Resume at the newest point there is, the same
   * way a reload resumes: the run's newest backup read back from IndexedDB, or the newest
   * snapshot in memory where none was stored (no storage, backups stopped), or the start.
   */
  private async recover(lost: DeviceLostError): Promise<void> {
    this.trainer.dispose();
    this.trainer.engine.dispose();
    let from: { point: ResumePoint | null; stored: boolean };
    try {
      from = await this.points.recovery(this.backup);
      const engine = await this.newEngine();
      this.trainer = await Trainer.compile(this.model, engine, compileArgs(this.settings, this.data.kind));
    } catch (e) {
      this.post({ type: 'error', kind: 'device', message: `Training stopped: ${lost.message} A new GPU device could not be set up: ${e instanceof Error ? e.message : String(e)}` });
      return this.setPhase('error');
    }
    const { point, stored } = from;
    if (point) this.resumeFrom(point);
    else this.startOver();
    this.trainer.unpackWeights(point ? point.snapshot.engine.params : this.points.start!);
    this.post({ type: 'engine', kind: this.trainer.engine.kind, description: this.trainer.engine.description, note: 'A new GPU device replaced the lost one.' });
    this.post({ type: 'error', kind: 'device', message: deviceLostMessage(lost.message, point, stored) });
    this.stopRequested = false;
    this.setPhase('paused');
  }

  /** No snapshot yet: the run begins again from the weights it started with. */
  private startOver(): void {
    [this.resumed, this.fitBase] = [null, 0];
    this.progress.restore(0, 0);
    this.trainer.engine.writeParams(this.points.start!);
  }

  private failed(e: unknown): void {
    if (e instanceof NonFiniteLossError) {
      // The trainer's epochs count from the run's fitBase (a resumed fit goes on with them).
      this.post({ type: 'error', kind: 'nan', message: nanMessage(e, this.fitBase, this.settings.learningRate) });
    } else {
      this.post({ type: 'error', kind: 'other', message: `Training failed: ${e instanceof Error ? e.message : String(e)}` });
    }
    this.setPhase('error');
  }

  pause(): void {
    if (!this.fitting) return;
    this.pauseRequested = true;
    this.trainer.stop();
  }

  /** Stops a running fit (it then evaluates), or evaluates a paused run now. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    if (this.fitting) {
      this.setPhase('stopping');
      this.trainer.stop();
      return;
    }
    if (this.phase === 'paused') await this.finish();
  }

  get isFitting(): boolean {
    return this.fitting;
  }

  /**
   * Evaluates on the first testSize test samples (Fashion-MNIST: accuracy, confusion matrix and
   * gallery; regression: each output's error and predicted against true), then ends the run as
   * 'stopped' when Stop ended it, else 'done'.
   */
  async finish(): Promise<void> {
    this.setPhase('evaluating');
    const n = this.settings.testSize;
    const predictions = await this.predict(samples(this.data, 'test', n, this.model).x);
    if (this.data.kind === 'fashion-mnist') {
      const test = this.data.mnist.test;
      const results = testResults(this.outputNames(), predictions, test.labels.subarray(0, n), test.images.subarray(0, n * PIXELS));
      this.post({ type: 'results', results });
      await this.refreshInside(null);
    } else {
      const test = this.data.test;
      this.post({ type: 'results', results: regressionResults(this.outputNames(), predictions, [test.y1, test.y2], n) });
    }
    await this.backup?.end();
    this.setPhase(this.stopRequested ? 'stopped' : 'done');
  }

  /** Predictions on the training engine. */
  private predict(x: HostTensor): Promise<Float32Array[]> {
    return this.trainer.predict(x, { batchSize: 100 });
  }

  /** Feature maps of the chosen test image with the current weights (`params` fresh from the engine, or null when the layers are current). */
  async refreshInside(params: Float32Array | null, imageIndex = this.inspectIndex): Promise<void> {
    this.lastInspect = performance.now();
    if (this.data.kind !== 'fashion-mnist') return;
    const test = this.data.mnist.test;
    this.inspectIndex = imageIndex;
    if (params) this.trainer.unpackWeights(params);
    const i = Math.min(imageIndex, test.count - 1);
    const pixels = test.images.slice(i * PIXELS, (i + 1) * PIXELS);
    const inside = await this.inspector.inspect(i, test.labels[i]!, pixels);
    this.post({ type: 'inside', inside });
  }

  /** Loads the model's layer weights into the engine (fresh initial or loaded weights). */
  pushWeights(): void {
    this.trainer.pushWeights();
  }

  /** The trained model's layers hold the engine's latest weights after this. */
  async syncWeights(): Promise<void> {
    if (this.fitting) this.trainer.unpackWeights(await this.trainer.engine.readParams());
    else await this.trainer.syncWeights();
  }

  dispose(): void {
    this.trainer.dispose();
    this.inspector.dispose();
    this.trainer.engine.dispose();
  }
}

export async function compileRun(
  model: Model,
  settings: TrainSettings,
  data: TrainingData,
  engine: Engine,
  post: Post,
  newEngine?: () => Promise<Engine>,
): Promise<TrainingRun> {
  const trainer = await Trainer.compile(model, engine, compileArgs(settings, data.kind));
  const inspector = await Inspector.create(model);
  return new TrainingRun(model, trainer, inspector, settings, data, post, newEngine);
}
