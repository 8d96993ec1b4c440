// The headless trainer's core, shared by `npm run train` in Node (CPU engine) and the same run in
// headless Chromium (WebGPU engine): builds a built-in model (or takes one read from a file), trains it like Keras's fit with a
// progress line per epoch, then reports test metrics. Knows nothing of terminals or pages: it
// writes lines through `log` and returns the history and the final metrics.
import type { FashionMnist } from '../../data/idx';
import { branchedRegression } from '../../data/synthetic';
import { examples } from '../examples';
import type { LayerModel } from '../functional';
import type { CompileArgs } from './config';
import { resetNameScope } from '../naming';
import { EarlyStopping, type Callback, type Logs } from './callbacks';
import type { Engine, HostTensor } from './engine';
import { Trainer, type History } from './trainer';
import { modelToJSONString } from '../modelJson';
import { fingerprint, type Backup } from './backupFile';
import { BackupWriter, type BackupPolicy, type BackupSink } from './backupWriter';

export interface TrainOptions {
  model: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Training samples used (from the start of the training set); 0 = all. */
  limit: number;
  seed: number;
  validationSplit: number;
  /** EarlyStopping patience on val_loss with restoreBestWeights; 0 = off. */
  patience: number;
  /** Also evaluate the test set after every epoch (reported in `testPerEpoch`). */
  testEachEpoch: boolean;
}

export interface TrainResult {
  options: TrainOptions;
  engine: string;
  history: History;
  test: Logs;
  testPerEpoch: Logs[];
  /** Where a resumed run went on from (null for a run from the start). */
  resumedFrom: { epoch: number; step: number } | null;
  seconds: number;
  samplesPerSecond: number;
}

export const TRAIN_DEFAULTS: TrainOptions = {
  model: 'seed-cnn',
  epochs: 3,
  batchSize: 32,
  learningRate: 0.001,
  limit: 0,
  seed: 42,
  validationSplit: 0.2,
  patience: 0,
  testEachEpoch: false,
};

function fmt(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k}: ${v.toFixed(4)}`)
    .join(' - ');
}

/** A Keras-like progress line: epoch, step/steps, samples/s, ETA, running metrics. */
function progress(epochs: number, steps: number, log: (line: string) => void): Callback {
  let epochStart = 0;
  let epoch = 0;
  let lastPrint = 0;
  return {
    onTrainBegin() {
      epochStart = performance.now();
    },
    onEpochBegin(e) {
      epoch = e;
    },
    onBatchEnd(batch, logs) {
      const now = performance.now();
      if (now - lastPrint < 2000 && batch + 1 < steps) return;
      lastPrint = now;
      const elapsed = (now - epochStart) / 1000;
      const perStep = elapsed / (batch + 1);
      log(`Epoch ${epoch + 1}/${epochs} ${batch + 1}/${steps} - ${elapsed.toFixed(0)}s - ETA ${(perStep * (steps - batch - 1)).toFixed(0)}s - ${fmt(logs)}`);
    },
    onEpochEnd(e, logs) {
      const seconds = (performance.now() - epochStart) / 1000;
      log(`Epoch ${e + 1}/${epochs} done in ${seconds.toFixed(0)}s - ${fmt(logs)}`);
      epoch = e + 1;
      epochStart = performance.now();
    },
  };
}

/** A model read from a file (`npm run train -- --model FILE`): trained from its weights when it has them, with its compile() loss and metrics when it has them. */
export interface GivenModel {
  model: LayerModel;
  weightsLoaded: boolean;
  compile?: CompileArgs;
}

/** Backups of a run (`--backup-dir`): where they go, the newest usable one, and their removal once the run has ended. */
export interface RunBackups {
  sink: BackupSink;
  policy: BackupPolicy;
  load(fingerprint: string, log: (line: string) => void): Backup | null;
  /** Removes them (the run has ended); the WebGPU CLI's page waits for Node to have done it. */
  clear(): void | Promise<void>;
}

/** What a backup is a backup of: the model's Keras JSON and every option (the same command resumes; another is refused). */
function runFingerprint(model: LayerModel, opts: TrainOptions): Promise<string> {
  return fingerprint(JSON.stringify({ model: modelToJSONString(model), options: opts }));
}

const REGRESSION_MODELS = ['branched', 'small-sequential'];

function builtIn(opts: TrainOptions): LayerModel {
  const example = examples[opts.model];
  if (!example) throw new Error(`unknown model '${opts.model}'. Built-in models: ${Object.keys(examples).join(', ')}.`);
  resetNameScope();
  return example.build();
}

export async function train(opts: TrainOptions, engine: Engine, loadData: () => Promise<FashionMnist>, log: (line: string) => void, given?: GivenModel, backups?: RunBackups): Promise<TrainResult> {
  const model = given?.model ?? builtIn(opts);
  if (!given?.weightsLoaded) model.initializeWeights(opts.seed);
  // The seed's regression models train on the synthetic set (targets y1, y2: one per output).
  const branched = REGRESSION_MODELS.includes(opts.model) && !given?.compile;
  const trainer = await Trainer.compile(model, engine, {
    optimizer: { kind: 'adam', learningRate: opts.learningRate },
    loss: given?.compile?.loss ?? (branched ? 'mse' : 'sparse_categorical_crossentropy'),
    metrics: given?.compile ? (given.compile.metrics ?? []) : branched ? [] : ['accuracy'],
    seed: opts.seed,
  });
  let x: HostTensor | HostTensor[];
  let y: HostTensor | HostTensor[];
  let test: { x: HostTensor | HostTensor[]; y: HostTensor | HostTensor[] };
  if (branched) {
    const n = opts.limit || 4000;
    const all = branchedRegression(n + 1000, opts.seed);
    const part = (a: Float32Array, width: number, from: number, to: number): HostTensor => ({ data: a.slice(from * width, to * width), shape: [to - from, width] });
    x = part(all.x, 3, 0, n);
    const outputs = model.outputs.length;
    y = [part(all.y1, 1, 0, n), part(all.y2, 1, 0, n)].slice(0, outputs);
    test = { x: part(all.x, 3, n, n + 1000), y: [part(all.y1, 1, n, n + 1000), part(all.y2, 1, n, n + 1000)].slice(0, outputs) };
  } else {
    log('Loading Fashion-MNIST...');
    const data = await loadData();
    const n = opts.limit > 0 ? Math.min(opts.limit, data.train.count) : data.train.count;
    x = { data: data.train.images.subarray(0, n * 784), shape: [n, 28, 28, 1], scale: 1 / 255 };
    y = { data: data.train.labels.subarray(0, n), shape: [n] };
    test = {
      x: { data: data.test.images, shape: [data.test.count, 28, 28, 1], scale: 1 / 255 },
      y: { data: data.test.labels, shape: [data.test.count] },
    };
  }
  const samples = (Array.isArray(x) ? x[0] : x).shape[0];
  const trainCount = Math.floor(samples * (1 - opts.validationSplit));
  log(`Model '${opts.model}' (${model.countParams().toLocaleString('en-US')} params) on ${engine.description}: ${trainCount} training samples, batch ${opts.batchSize}, Adam lr ${opts.learningRate}`);
  const callbacks: Callback[] = [progress(opts.epochs, Math.ceil(trainCount / opts.batchSize), log)];
  const testPerEpoch: Logs[] = [];
  let testSeconds = 0;
  if (opts.testEachEpoch) {
    callbacks.push({
      async onEpochEnd(epoch) {
        const t0 = performance.now();
        const logs = await trainer.evaluate(test.x, test.y, { batchSize: 256 });
        testSeconds += (performance.now() - t0) / 1000;
        testPerEpoch.push(logs);
        log(`Epoch ${epoch + 1}: test ${fmt(logs)}`);
      },
    });
  }
  if (opts.patience > 0) callbacks.push(new EarlyStopping({ monitor: 'val_loss', patience: opts.patience, restoreBestWeights: true }));
  const backup = await openBackups(model, opts, backups, log);
  const start = performance.now();
  const history = await trainer.fit(x, y, {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    validationSplit: opts.validationSplit,
    seed: opts.seed,
    callbacks,
    logEvery: engine.kind === 'cpu' ? 10 : 20,
    ...backup.fitArgs,
  });
  const seconds = (performance.now() - start) / 1000 - testSeconds;
  const testLogs = await trainer.evaluate(test.x, test.y, { batchSize: 256 });
  log(`Test: ${fmt(testLogs)}`);
  await backup.end();
  const from = backup.resumedFrom;
  const trained = (history.epoch.length - (from?.epoch ?? 0)) * trainCount - Math.min((from?.step ?? 0) * opts.batchSize, trainCount);
  return { options: opts, engine: engine.description, history, test: testLogs, testPerEpoch, resumedFrom: from, seconds, samplesPerSecond: trained / seconds };
}

/** The fit arguments that back a run up (and resume it from its newest backup), and what to do once it has ended. */
async function openBackups(model: LayerModel, opts: TrainOptions, backups: RunBackups | undefined, log: (line: string) => void) {
  if (!backups) return { fitArgs: {}, resumedFrom: null, end: async () => undefined };
  const fp = await runFingerprint(model, opts);
  const found = backups.load(fp, log);
  const resumedFrom = found ? { epoch: found.snapshot.epoch, step: found.snapshot.step } : null;
  if (resumedFrom) log(`Resuming from the backup of epoch ${resumedFrom.epoch + 1}, step ${resumedFrom.step} (written ${new Date(found!.savedAt).toISOString()})`);
  const writer = new BackupWriter(backups.sink, fp, () => ({ options: opts }), backups.policy, (status) => {
    if (status.stopped) log(`Backups stopped: ${status.stopped} Training goes on without them.`);
  });
  return {
    fitArgs: { backup: writer, ...(found ? { resumeFrom: found.snapshot } : {}) },
    resumedFrom,
    // As Keras's BackupAndRestore: a run that ended needs its backups no more.
    end: async () => {
      await writer.flush();
      await backups.clear();
    },
  };
}
