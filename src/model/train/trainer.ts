// compile/fit/evaluate/predict/trainOnBatch for a model on an engine, the way Keras does them:
// the last partial batch included, per-epoch seeded shuffling, sample-weighted running means in
// the logs and History. Metrics are read back every `logEvery` steps while the next steps are
// already queued. The arguments and their defaults are checked in fitArgs.ts.
import type { LayerModel } from '../functional';
import type { Logs, TrainingControl } from './callbacks';
import { resolveCompile, type CompileArgs, type ResolvedCompile } from './config';
import type { CompiledStep, DataSet, Engine, HostTensor } from './engine';
import { NonFiniteLossError, asList, checkData, positiveInt, range, resolveFit, shuffle, type FitArgs, type History } from './fitArgs';
import { restoreCallbacks, restoreSnapshot, takeSnapshot } from './fitSnapshot';
import type { BatchHooks, FitState, KeptWeights } from './fitState';
import { metricLogs } from './metricLogs';
import { packWeights, unpackWeights } from './packing';
import { buildProgram, paramLayout } from './plan';
import type { ParamLayout, Program } from './program';

export { NonFiniteLossError, type FitArgs, type FitPosition, type History } from './fitArgs';

type Mode = 'train' | 'test' | 'predict';

export class Trainer {
  readonly layout: ParamLayout;
  private readonly steps = new Map<string, CompiledStep>();
  private stopRequested = false;
  /** Steps run in the current (or last) epoch of fit: where a stopped fit would go on. */
  stepsDone = 0;
  private weightsDirty = false;

  private constructor(
    readonly model: LayerModel,
    readonly engine: Engine,
    readonly config: ResolvedCompile,
  ) {
    this.layout = paramLayout(model);
  }

  /** Keras's model.compile: checks the arguments and loads the model's weights into the engine. */
  static async compile(model: LayerModel, engine: Engine, args: CompileArgs): Promise<Trainer> {
    const config = resolveCompile(model, args);
    const t = new Trainer(model, engine, config);
    // Build one program now so a model the executor cannot run fails at compile time.
    buildProgram(model, t.layout, { batch: 1, training: true, losses: config.losses, seed: config.seed });
    await engine.init(t.layout, t.packWeights(), config.optimizer);
    return t;
  }

  /** Asks a running fit() to stop after the current step (the UI's Stop button; Keras's stop_training). */
  stop(): void {
    this.stopRequested = true;
  }

  // ---- weights between the model's layers and the engine ----

  packWeights(): Float32Array {
    return packWeights(this.model, this.layout);
  }

  unpackWeights(packed: Float32Array): void {
    unpackWeights(this.model, this.layout, packed);
  }

  /** Copies the engine's weights into the model's layers (after training, before summary/save). */
  async syncWeights(): Promise<void> {
    if (!this.weightsDirty) return;
    this.unpackWeights(await this.engine.readParams());
    this.weightsDirty = false;
  }

  /** Loads the model's layer weights into the engine (after setWeights or loading a file). */
  pushWeights(): void {
    this.engine.writeParams(this.packWeights());
  }

  private async step(mode: Mode, batch: number): Promise<CompiledStep> {
    const key = `${mode}:${batch}`;
    let s = this.steps.get(key);
    if (!s) {
      const program: Program = buildProgram(this.model, this.layout, {
        batch,
        training: mode === 'train',
        losses: mode === 'predict' ? undefined : this.config.losses,
        seed: this.config.seed,
      });
      s = await this.engine.compile(program);
      this.steps.set(key, s);
    }
    return s;
  }

  private checkData(x: HostTensor[], y: HostTensor[] | null, where: string): number {
    return checkData(this.model, this.config.outputNames, x, y, where);
  }

  /** Runs `indices` through mode's program in batches; returns the metric sums. */
  private async runBatches(mode: Mode, indices: Uint32Array, batchSize: number, logEvery: number, hooks: BatchHooks = {}): Promise<Float64Array> {
    const { after, onOutputs, withParams = false, firstStep = 0, initialSums, afterStep } = hooks;
    this.engine.resetMetrics();
    if (initialSums) this.engine.writeMetrics(initialSums);
    let pending: Promise<void> | null = null;
    const steps = Math.ceil(indices.length / batchSize);
    for (let s = firstStep; s < steps; s++) {
      if (this.stopRequested) break;
      this.stepsDone = s + 1;
      const start = s * batchSize;
      const batch = indices.subarray(start, Math.min(start + batchSize, indices.length));
      const step = await this.step(mode, batch.length);
      step.run(batch);
      if (mode === 'train') this.weightsDirty = true;
      if (onOutputs) onOutputs(start, await step.readOutputs(), batch.length);
      const last = s === steps - 1;
      if (afterStep && !last) await afterStep(s + 1);
      if (after && ((s + 1) % logEvery === 0 || last)) {
        // Keep at most one read in flight: wait for the previous, queue this one, go on submitting.
        if (pending) await pending;
        const batchIndex = s;
        // The weights are read at the same point of the queue as the metrics.
        const reads = Promise.all([this.engine.readMetrics(), withParams ? this.engine.readParams() : null]);
        pending = reads.then(([sums, params]) => after(batchIndex, sums, params));
        // Its rejection (a NaN loss) is handled by the next await, not reported as unhandled.
        pending.catch(() => undefined);
        if (this.engine.kind === 'cpu') await new Promise((r) => setTimeout(r, 0));
      }
    }
    if (pending) await pending;
    return this.engine.readMetrics();
  }

  /** Keras-style logs from metric sums, read with the layout of any compiled program that has losses. */
  private logs(sums: Float64Array, prefix = ''): Logs {
    for (const s of this.steps.values()) {
      if (s.program.metrics.outputs.length > 0) return metricLogs(s.program.metrics, this.config.losses, sums, prefix);
    }
    throw new Error('no compiled program with losses');
  }

  private control(): TrainingControl {
    return {
      stop: () => this.stop(),
      readWeights: () => this.engine.readParams(),
      writeWeights: (p) => {
        this.engine.writeParams(p);
        this.weightsDirty = true;
      },
      getLearningRate: () => this.engine.getLearningRate(),
      setLearningRate: (lr) => this.engine.setLearningRate(lr),
    };
  }

  async fit(x: HostTensor | HostTensor[], y: HostTensor | HostTensor[], args: FitArgs = {}): Promise<History> {
    const data: DataSet = { inputs: asList(x), targets: asList(y) };
    const n = this.checkData(data.inputs, data.targets, 'fit');
    const plan = resolveFit(args, n, this.engine.kind, this.config.seed, (v) => void this.checkData(v.inputs, v.targets, 'fit validationData'));
    const order = range(plan.trainCount);
    const resume = args.resumeFrom;
    if (resume) restoreSnapshot(this.engine, resume, plan, order);
    const start = resume ? { epoch: resume.epoch, step: resume.step } : { epoch: 0, step: plan.initialStep };
    this.stopRequested = false;
    this.weightsDirty ||= resume !== undefined;
    const control = this.control();
    // The weights fit started from are the fallback when no later copy has been found good.
    const good: KeptWeights = { params: await this.engine.readParams(), at: { epoch: start.epoch + 1, step: start.step } };
    const history: History = resume ? { epoch: [...resume.history.epoch], history: structuredClone(resume.history.history) } : { epoch: [], history: {} };
    const state: FitState = { plan, data, callbacks: args.callbacks ?? [], control, backup: args.backup ?? null, order, history, good, candidate: null };
    for (const c of state.callbacks) await c.onTrainBegin?.(control);
    if (resume) restoreCallbacks(state.callbacks, resume);
    let lastLogs: Logs = {};
    try {
      for (let epoch = start.epoch; epoch < plan.epochs && !this.stopRequested; epoch++) {
        const firstStep = epoch === start.epoch ? start.step : 0;
        // A snapshot taken mid-epoch holds the epoch's order already shuffled.
        if (plan.shuffle && !(resume && firstStep > 0)) shuffle(order, plan.rng);
        for (const c of state.callbacks) await c.onEpochBegin?.(epoch, control);
        const logs = await this.fitEpoch(state, epoch, firstStep, resume && firstStep > 0 ? resume.sums : undefined);
        // Stopped mid-epoch from outside: the weights are those of the last finished step.
        if (!logs) break;
        history.epoch.push(epoch);
        for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
        lastLogs = logs;
        for (const c of state.callbacks) await c.onEpochEnd?.(epoch, logs, control);
        if (state.backup) await this.snapshot(state, epoch + 1, 0);
      }
    } catch (e) {
      // Steps queued after the bad one have run by now: put the good copy back over them.
      if (e instanceof NonFiniteLossError) this.restore(state.good);
      throw e;
    } finally {
      this.stopRequested = false;
    }
    // Not reached when the run failed (a NaN loss, a lost GPU device): as in Keras, on_train_end
    // is for runs that ended, and the engine is not read again.
    for (const c of state.callbacks) await c.onTrainEnd?.(lastLogs, control);
    this.stopRequested = false;
    await this.syncWeights();
    return history;
  }

  /** One epoch of fit: its logs (validation included), or null when fit was stopped mid-epoch. */
  private async fitEpoch(state: FitState, epoch: number, firstStep: number, initialSums?: Float64Array): Promise<Logs | null> {
    const { plan, backup, order } = state;
    await this.engine.attach(state.data);
    // A stop before this epoch's first step must not read as the previous epoch's last.
    this.stepsDone = firstStep;
    const sums = await this.runBatches('train', order, plan.batchSize, plan.logEvery, {
      after: (batch, partial, params) => this.afterLog(state, epoch, batch, partial, params),
      withParams: plan.keepEveryLog,
      firstStep,
      ...(initialSums ? { initialSums } : {}),
      ...(backup ? { afterStep: async (step) => void (backup.due(step) && (await this.snapshot(state, epoch, step))) } : {}),
    });
    if (this.stopRequested && this.stepsDone < plan.stepsPerEpoch) {
      // Where a stopped (paused) fit would go on; with no step taken, the last snapshot is that point.
      if (backup && this.stepsDone > 0) await this.snapshot(state, epoch, this.stepsDone);
      return null;
    }
    let logs = this.logs(sums);
    if (plan.validation) {
      const { data, indices } = plan.validation;
      const val = data
        ? await this.evaluateSums(data, range(data.inputs[0].shape[0]), plan.batchSize)
        : await this.evaluateSums(state.data, indices, plan.batchSize);
      logs = { ...logs, ...this.logs(val, 'val_') };
    }
    if (!plan.keepEveryLog) state.candidate = { params: await this.engine.readParams(), at: { epoch: epoch + 1, step: plan.stepsPerEpoch } };
    return logs;
  }

  /** Hands the backup hook the fit's state after `step` steps of `epoch`, with the epoch's running means so far. */
  private async snapshot(state: FitState, epoch: number, step: number): Promise<void> {
    const s = await takeSnapshot(this.engine, { epoch, step }, state.order, state.plan.rng, state.history, state.callbacks);
    state.backup!.save({ ...s, logs: step > 0 ? this.logs(s.sums) : {} });
  }

  /** At a metrics read: stop on a non-finite loss, promote the kept weight copy, call onBatchEnd. */
  private async afterLog(state: FitState, epoch: number, batch: number, sums: Float64Array, params: Float32Array | null): Promise<void> {
    const logs = this.logs(sums);
    if (!Number.isFinite(logs.loss)) {
      const at = { epoch: epoch + 1, step: batch + 1 };
      throw new NonFiniteLossError(`the loss became ${logs.loss} in epoch ${epoch + 1} by step ${batch + 1}. Lower the learning rate.`, at, state.good.at);
    }
    if (state.candidate) state.good = state.candidate;
    state.candidate = params ? { params, at: { epoch: epoch + 1, step: batch + 1 } } : null;
    for (const c of state.callbacks) await c.onBatchEnd?.(batch, logs, state.control);
  }

  /** Puts a kept copy of the weights back in the engine and the layers. */
  private restore(copy: KeptWeights): void {
    this.engine.writeParams(copy.params);
    this.unpackWeights(copy.params);
    this.weightsDirty = false;
  }

  // ---- evaluate, predict, trainOnBatch ----

  private async evaluateSums(data: DataSet, indices: Uint32Array, batchSize: number): Promise<Float64Array> {
    await this.engine.attach(data);
    return this.runBatches('test', indices, batchSize, Number.MAX_SAFE_INTEGER);
  }

  /** Keras's evaluate: the loss and metrics over all samples, in inference mode. */
  async evaluate(x: HostTensor | HostTensor[], y: HostTensor | HostTensor[], args: { batchSize?: number } = {}): Promise<Logs> {
    const xs = asList(x);
    const ys = asList(y);
    const n = this.checkData(xs, ys, 'evaluate');
    const batchSize = positiveInt('evaluate: batchSize', args.batchSize ?? 32);
    const sums = await this.evaluateSums({ inputs: xs, targets: ys }, range(n), batchSize);
    return this.logs(sums);
  }

  /** Keras's predict: one Float32Array per output ([samples, ...output shape], row-major). */
  async predict(x: HostTensor | HostTensor[], args: { batchSize?: number } = {}): Promise<Float32Array[]> {
    const xs = asList(x);
    const n = this.checkData(xs, null, 'predict');
    const batchSize = positiveInt('predict: batchSize', args.batchSize ?? 32);
    await this.engine.attach({ inputs: xs, targets: [] });
    const widths = this.model.outputs.map((t) => (t.shape.slice(1) as number[]).reduce((a, b) => a * b, 1));
    const results = widths.map((w) => new Float32Array(n * w));
    const onOutputs = (start: number, outs: Float32Array[]): void => outs.forEach((o, i) => results[i].set(o, start * widths[i]));
    await this.runBatches('predict', range(n), batchSize, Number.MAX_SAFE_INTEGER, { onOutputs });
    return results;
  }

  /** One training step on exactly these samples; returns the step's logs. */
  async trainOnBatch(x: HostTensor | HostTensor[], y: HostTensor | HostTensor[]): Promise<Logs> {
    const xs = asList(x);
    const ys = asList(y);
    const n = this.checkData(xs, ys, 'trainOnBatch');
    await this.engine.attach({ inputs: xs, targets: ys });
    const sums = await this.runBatches('train', range(n), n, 1);
    await this.syncWeights();
    return this.logs(sums);
  }

  dispose(): void {
    for (const s of this.steps.values()) s.dispose();
    this.steps.clear();
  }
}
