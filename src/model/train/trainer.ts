// compile/fit/evaluate/predict/trainOnBatch for a model on an engine, the way Keras does them:
// batch size 32, the last partial batch included, validationSplit taking the last samples
// before shuffling, per-epoch seeded shuffling, sample-weighted running means in the logs and
// History. Metrics are read back every `logEvery` steps while the next steps are already queued.
import type { LayerModel } from '../model';
import { Random } from '../random';
import type { Callback, Logs, TrainingControl } from './callbacks';
import { resolveCompile, type CompileArgs, type ResolvedCompile } from './config';
import type { CompiledStep, DataSet, Engine, HostTensor } from './engine';
import { buildProgram, paramLayout } from './plan';
import type { ParamLayout, Program } from './program';

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

type Mode = 'train' | 'test' | 'predict';

interface KeptWeights {
  params: Float32Array;
  at: FitPosition;
}

const asList = (x: HostTensor | HostTensor[]): HostTensor[] => (Array.isArray(x) ? x : [x]);

function positiveInt(what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${what} must be a positive integer, got ${JSON.stringify(v)}.`);
  return v;
}

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
    const packed = new Float32Array(this.layout.size);
    const byLayer = new Map(this.model.graphLayers.map((l) => [l.name, l]));
    for (const e of this.layout.entries) packed.set(byLayer.get(e.layer)!.weights[e.index].values, e.offset);
    return packed;
  }

  unpackWeights(packed: Float32Array): void {
    const byLayer = new Map(this.model.graphLayers.map((l) => [l.name, l]));
    for (const e of this.layout.entries) byLayer.get(e.layer)!.weights[e.index].values.set(packed.subarray(e.offset, e.offset + e.size));
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

  // ---- programs ----

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
    const inputs = this.model.inputs;
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
      const names = this.config.outputNames;
      if (y.length !== names.length) throw new Error(`${where}: the model has ${names.length} outputs but ${y.length} target arrays were given.`);
      y.forEach((t, i) => {
        if (t.shape[0] !== n) throw new Error(`${where}: ${n} input samples but ${t.shape[0]} targets for "${names[i]}".`);
      });
    }
    if (n < 1) throw new Error(`${where}: no samples.`);
    return n;
  }

  /** Runs `indices` through mode's program in batches; calls `after` every logEvery steps with the metric sums so far. */
  private async runBatches(
    mode: Mode,
    indices: Uint32Array,
    batchSize: number,
    logEvery: number,
    after?: (batch: number, sums: Float64Array, params: Float32Array | null) => Promise<void>,
    onOutputs?: (start: number, outputs: Float32Array[], count: number) => void,
    withParams = false,
    firstStep = 0,
  ): Promise<Float64Array> {
    this.engine.resetMetrics();
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

  /** Keras-style logs from metric sums: loss (weighted total), per-output losses and accuracies. */
  private logs(sums: Float64Array, prefix = ''): Logs {
    const program = this.anyProgram();
    const n = sums[program.metrics.samplesSlot] || 1;
    const outs = program.metrics.outputs;
    const losses = outs.map((o) => sums[o.lossSlot] / n);
    // Keras's order: the weighted total first, then each output's loss, then the metrics.
    const logs: Logs = { [`${prefix}loss`]: losses.reduce((t, l, i) => t + l * this.config.losses[i].weight, 0) };
    if (outs.length > 1) outs.forEach((o, i) => (logs[`${prefix}${o.name}_loss`] = losses[i]));
    outs.forEach((o) => {
      if (o.accuracySlot === null) return;
      logs[`${prefix}${outs.length > 1 ? `${o.name}_` : ''}accuracy`] = sums[o.accuracySlot] / n;
    });
    return logs;
  }

  private anyProgram(): Program {
    for (const s of this.steps.values()) if (s.program.metrics.outputs.length > 0) return s.program;
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
    };
  }

  async fit(x: HostTensor | HostTensor[], y: HostTensor | HostTensor[], args: FitArgs = {}): Promise<History> {
    const xs = asList(x);
    const ys = asList(y);
    const n = this.checkData(xs, ys, 'fit');
    const epochs = positiveInt('fit: epochs', args.epochs ?? 1);
    const batchSize = positiveInt('fit: batchSize', args.batchSize ?? 32);
    const logEvery = positiveInt('fit: logEvery', args.logEvery ?? (this.engine.kind === 'cpu' ? 1 : 10));
    const split = args.validationSplit ?? 0;
    if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new Error(`fit: validationSplit must be in [0, 1), got ${JSON.stringify(split)}.`);
    if (split > 0 && args.validationData) throw new Error('fit: pass validationSplit or validationData, not both.');
    // Keras takes the validation samples from the end, before any shuffling.
    const trainCount = split > 0 ? Math.floor(n * (1 - split)) : n;
    if (trainCount < 1 || (split > 0 && trainCount === n)) throw new Error(`fit: validationSplit ${split} of ${n} samples leaves no training or no validation samples.`);
    if (batchSize > trainCount) throw new Error(`fit: batchSize ${batchSize} is larger than the ${trainCount} training samples; use at most ${trainCount}.`);
    const validation = args.validationData
      ? { data: { inputs: asList(args.validationData[0]), targets: asList(args.validationData[1]) }, indices: null as Uint32Array | null }
      : split > 0
        ? { data: null, indices: Uint32Array.from({ length: n - trainCount }, (_, i) => trainCount + i) }
        : null;
    if (validation?.data) this.checkData(validation.data.inputs, validation.data.targets, 'fit validationData');

    const data: DataSet = { inputs: xs, targets: ys };
    const callbacks = args.callbacks ?? [];
    const control = this.control();
    const history: History = { epoch: [], history: {} };
    const keepEveryLog = (args.keepWeights ?? 'epoch') === 'log';
    if (args.keepWeights !== undefined && args.keepWeights !== 'epoch' && args.keepWeights !== 'log') {
      throw new Error(`fit: keepWeights must be 'epoch' or 'log', got ${JSON.stringify(args.keepWeights)}.`);
    }
    const rng = new Random(args.seed ?? this.config.seed);
    const stepsPerEpoch = Math.ceil(trainCount / batchSize);
    const initialStep = args.initialStep ?? 0;
    if (!Number.isInteger(initialStep) || initialStep < 0 || initialStep >= stepsPerEpoch) {
      throw new Error(`fit: initialStep must be an integer in [0, ${stepsPerEpoch}), got ${JSON.stringify(args.initialStep)}.`);
    }
    const order = Uint32Array.from({ length: trainCount }, (_, i) => i);
    this.stopRequested = false;
    // A later copy becomes good once a finite loss has been computed with it (at the next metrics
    // read); the weights fit started from are the fallback when none has.
    let good: KeptWeights = { params: await this.engine.readParams(), at: { epoch: 1, step: initialStep } };
    let candidate: KeptWeights | null = null;
    for (const c of callbacks) await c.onTrainBegin?.(control);
    let lastLogs: Logs = {};
    try {
      for (let epoch = 0; epoch < epochs && !this.stopRequested; epoch++) {
        if (args.shuffle ?? true) shuffle(order, rng);
        await this.engine.attach(data);
        const sums = await this.runBatches('train', order, batchSize, logEvery, async (batch, partial, params) => {
          const logs = this.logs(partial);
          if (!Number.isFinite(logs.loss)) {
            throw new NonFiniteLossError(`the loss became ${logs.loss} in epoch ${epoch + 1} by step ${batch + 1}. Lower the learning rate.`, { epoch: epoch + 1, step: batch + 1 }, good.at);
          }
          if (candidate) good = candidate;
          candidate = params ? { params, at: { epoch: epoch + 1, step: batch + 1 } } : null;
          for (const c of callbacks) await c.onBatchEnd?.(batch, logs, control);
        }, undefined, keepEveryLog, epoch === 0 ? initialStep : 0);
        if (this.stopRequested && this.stepsDone < stepsPerEpoch) {
          // Stopped mid-epoch from outside: the weights are those of the last finished step.
          break;
        }
        let logs = this.logs(sums);
        if (validation) {
          const val = validation.data
            ? await this.evaluateSums(validation.data, Uint32Array.from({ length: validation.data.inputs[0].shape[0] }, (_, i) => i), batchSize)
            : await this.evaluateSums(data, validation.indices!, batchSize);
          logs = { ...logs, ...this.logs(val, 'val_') };
        }
        if (!keepEveryLog) candidate = { params: await this.engine.readParams(), at: { epoch: epoch + 1, step: Math.ceil(trainCount / batchSize) } };
        history.epoch.push(epoch);
        for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
        lastLogs = logs;
        for (const c of callbacks) await c.onEpochEnd?.(epoch, logs, control);
      }
    } catch (e) {
      // Steps queued after the bad one have run by now: put the good copy back over them.
      if (e instanceof NonFiniteLossError) this.restore(good);
      throw e;
    } finally {
      this.stopRequested = false;
    }
    // Not reached when the run failed (a NaN loss, a lost GPU device): as in Keras, on_train_end
    // is for runs that ended, and the engine is not read again.
    for (const c of callbacks) await c.onTrainEnd?.(lastLogs, control);
    this.stopRequested = false;
    await this.syncWeights();
    return history;
  }

  /** Puts a kept copy of the weights back in the engine and the layers. */
  private restore(copy: KeptWeights): void {
    this.engine.writeParams(copy.params);
    this.unpackWeights(copy.params);
    this.weightsDirty = false;
  }

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
    const sums = await this.evaluateSums({ inputs: xs, targets: ys }, Uint32Array.from({ length: n }, (_, i) => i), batchSize);
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
    await this.runBatches('predict', Uint32Array.from({ length: n }, (_, i) => i), batchSize, Number.MAX_SAFE_INTEGER, undefined, (start, outs) => {
      outs.forEach((o, i) => results[i].set(o, start * widths[i]));
    });
    return results;
  }

  /** One training step on exactly these samples; returns the step's logs. */
  async trainOnBatch(x: HostTensor | HostTensor[], y: HostTensor | HostTensor[]): Promise<Logs> {
    const xs = asList(x);
    const ys = asList(y);
    const n = this.checkData(xs, ys, 'trainOnBatch');
    await this.engine.attach({ inputs: xs, targets: ys });
    const sums = await this.runBatches('train', Uint32Array.from({ length: n }, (_, i) => i), n, 1);
    await this.syncWeights();
    return this.logs(sums);
  }

  dispose(): void {
    for (const s of this.steps.values()) s.dispose();
    this.steps.clear();
  }
}

function shuffle(order: Uint32Array, rng: Random): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}
