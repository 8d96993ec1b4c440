// `npm run train -- --model seed-cnn|seed-cnn-functional|branched|small-sequential|FILE [--engine webgpu|cpu] [--epochs N]
//   [--batch-size B] [--lr X] [--limit N] [--seed S] [--validation-split F] [--patience P]
//   [--test-each-epoch true] [--out FILE] [--save MODEL_FILE] [--backup-dir DIR [--backup-every STEPS]]
//   [--tuning auto|off|exhaustive]`
// Trains a built-in model, or a model file (anything readModelFiles reads; one with weights
// starts from them; --model twice gives a model file and its .weights.h5), from the terminal: the
// CPU engine in Node, or WebGPU in headless Chromium (built-in models only). --save writes the
// trained model in the format its name asks for (.keras, .h5, .weights.h5, .json, .py, DIR/ for TF.js).
// --backup-dir backs the run up into DIR at every epoch end and about every 30 s (or every
// --backup-every steps); the same command after a crash or a kill goes on from the newest backup
// and ends with the weights an uninterrupted run ends with. A run that ends removes its backups.
// On WebGPU the page sends each backup's bytes here and this process writes them (one BackupDir
// for both engines); at start it hands the page the backups it has.
// --tuning (WebGPU): how heavy kernels choose their variant; 'auto' (default) keeps the choices per
// adapter and shape in .cache/webgpu-tuning.json, so later runs start at once.
import './relaxedSimd';
import { existsSync, writeFileSync } from 'node:fs';
import { loadFashionMnistFromDir } from '../src/data/nodeFiles';
import { CpuEngine } from '../src/model/train/cpuEngine';
import { examples } from '../src/model/examples';
import { resetNameScope } from '../src/model/naming';
import { TRAIN_DEFAULTS, train, type GivenModel, type RunBackups, type TrainOptions, type TrainResult } from '../src/model/train/headless';
import { DEFAULT_BACKUP_POLICY } from '../src/model/train/backupWriter';
import { BackupDir } from './backupDir';
import { launchChromium, startVite } from './browser';
import { firstLine, loadModel, saveModel } from './modelFiles';
import { DEFAULT_TUNING_FILE, readTuningFile, writeTuningFile } from './tuningFile';
import { TUNING_MODES, type TuningMode } from '../src/gpu/tuning';

const FLAGS: Record<string, keyof TrainOptions> = {
  '--model': 'model',
  '--epochs': 'epochs',
  '--batch-size': 'batchSize',
  '--lr': 'learningRate',
  '--limit': 'limit',
  '--seed': 'seed',
  '--validation-split': 'validationSplit',
  '--patience': 'patience',
};

interface Parsed {
  opts: TrainOptions;
  engine: 'cpu' | 'webgpu';
  out: string | null;
  save: string | null;
  backupDir: string | null;
  backupEvery: number;
  /** The --model values: an example name, or model files. */
  models: string[];
  tuning: TuningMode;
}

function parse(argv: string[]): Parsed {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: npm run train -- --model NAME|FILE [--model WEIGHTS.weights.h5] [--engine cpu|webgpu] [--epochs N] [--batch-size B] [--lr X] [--limit N] [--seed S] [--validation-split F] [--patience P] [--test-each-epoch true] [--out RESULT.json] [--save MODEL_FILE] [--backup-dir DIR [--backup-every STEPS]] [--tuning auto|off|exhaustive]');
    process.exit(0);
  }
  const opts: TrainOptions = { ...TRAIN_DEFAULTS };
  let engine: 'cpu' | 'webgpu' = 'cpu';
  let out: string | null = null;
  let save: string | null = null;
  let backupDir: string | null = null;
  let backupEvery = 0;
  let tuning: TuningMode = 'auto';
  const models: string[] = [];
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--test-each-epoch') {
      opts.testEachEpoch = value === 'true';
    } else if (flag === '--engine') {
      if (value !== 'cpu' && value !== 'webgpu') throw new Error(`--engine must be cpu or webgpu, got ${value}`);
      engine = value;
    } else if (flag === '--tuning') {
      if (!TUNING_MODES.includes(value as TuningMode)) throw new Error(`--tuning must be ${TUNING_MODES.join(', ')}, got ${value}`);
      tuning = value as TuningMode;
    } else if (flag === '--out') {
      out = value;
    } else if (flag === '--save') {
      save = value;
    } else if (flag === '--backup-dir') {
      backupDir = value;
    } else if (flag === '--backup-every') {
      backupEvery = Number(value);
      if (!Number.isInteger(backupEvery) || backupEvery < 1) throw new Error(`--backup-every must be a whole number of steps, got ${value}`);
    } else if (FLAGS[flag] === 'model') {
      models.push(value);
    } else if (FLAGS[flag]) {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`${flag} must be a number, got ${value}`);
      (opts as unknown as Record<string, number>)[FLAGS[flag]] = n;
    } else {
      throw new Error(`unknown option ${flag}. Options: ${[...Object.keys(FLAGS), '--engine', '--out', '--save', '--backup-dir', '--backup-every', '--tuning'].join(' ')}`);
    }
  }
  if (models.length > 0) opts.model = models.join(' + ');
  if (backupEvery > 0 && !backupDir) throw new Error('--backup-every needs --backup-dir DIR');
  return { opts, engine, out, save, backupDir, backupEvery, models, tuning };
}

/** A model file (not a built-in name) read for training; the built-in examples build inside train(). */
async function givenModel(models: string[]): Promise<GivenModel | undefined> {
  const isExample = models.length === 1 && Object.hasOwn(examples, models[0]!) && !existsSync(models[0]!);
  if (models.length === 0 || isExample) return undefined;
  const loaded = await loadModel(models);
  for (const note of loaded.notes) console.log(`Note: ${note}`);
  console.log(`Read ${loaded.source}: ${loaded.format}, ${loaded.weightsLoaded ? 'training from its weights' : 'fresh weights'}`);
  return { model: loaded.model, weightsLoaded: loaded.weightsLoaded, ...(loaded.compile ? { compile: loaded.compile } : {}) };
}

/** Trains on WebGPU in Chromium (scripts/train-page): the page starts from the tuning file's choices and hands back its own; `given`'s layers get the trained weights; backups go to `backupDir`. */
async function inChromium(opts: TrainOptions, tuning: TuningMode, given: GivenModel | undefined, backupDir: string | null, backupEvery: number): Promise<TrainResult> {
  const { server, url } = await startVite();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    page.on('console', (msg) => console.log(msg.text()));
    if (backupDir) {
      const store = new BackupDir(backupDir);
      await page.exposeFunction('__backupFiles', () => store.files().map((f) => ({ where: f.where, base64: Buffer.from(f.bytes()).toString('base64') })));
      await page.exposeFunction('__backupWrite', (at: { epoch: number; step: number }, base64: string) => store.write(Buffer.from(base64, 'base64'), at));
      await page.exposeFunction('__backupClear', () => store.clear());
    }
    const link = { ...(backupDir ? { backupEvery } : {}), save: given !== undefined };
    await page.addInitScript((entries) => (window.__tuningSeed = entries), readTuningFile(DEFAULT_TUNING_FILE));
    await page.goto(`${url}/scripts/train-page/index.html?tuning=${tuning}&opts=${encodeURIComponent(JSON.stringify(opts))}&link=${encodeURIComponent(JSON.stringify(link))}`);
    await page.waitForFunction(() => window.__train?.done === true, null, { timeout: 0, polling: 1000 });
    const state = await page.evaluate(() => window.__train);
    if (state.tuning && tuning !== 'off') writeTuningFile(DEFAULT_TUNING_FILE, state.tuning);
    if (state.error || !state.result) throw new Error(state.error ?? 'no result');
    if (given && state.weights) given.model.loadWeights(state.weights.manifest, Buffer.from(state.weights.base64, 'base64'));
    return state.result;
  } finally {
    await browser.close();
    await server.close();
  }
}

function dirBackups(dir: string, everySteps: number): RunBackups {
  const store = new BackupDir(dir);
  return {
    sink: store,
    policy: everySteps > 0 ? { ...DEFAULT_BACKUP_POLICY, everySteps } : DEFAULT_BACKUP_POLICY,
    load: (fingerprint, log) => store.load(fingerprint, log),
    clear: () => store.clear(),
  };
}

async function main(): Promise<void> {
  const { opts, engine, out, save, backupDir, backupEvery, models, tuning } = parse(process.argv.slice(2));
  let given = await givenModel(models);
  if (engine === 'webgpu' && given) throw new Error('--engine webgpu trains built-in models only; use --engine cpu for model files');
  if (save && !given) {
    // Built here rather than inside train() so the trained layers are at hand to save.
    const example = examples[opts.model];
    if (!example) throw new Error(`unknown model '${opts.model}'. Built-in models: ${Object.keys(examples).join(', ')}.`);
    resetNameScope();
    given = { model: example.build(), weightsLoaded: false };
  }
  const backups = backupDir && engine === 'cpu' ? dirBackups(backupDir, backupEvery) : undefined;
  const result =
    engine === 'cpu' ? await train(opts, new CpuEngine(), () => loadFashionMnistFromDir(), (l) => console.log(l), given, backups) : await inChromium(opts, tuning, given, backupDir, backupEvery);
  console.log(`Trained ${result.history.epoch.length} epochs in ${result.seconds.toFixed(0)} s (${result.samplesPerSecond.toFixed(1)} samples/s) on ${result.engine}`);
  if (out) {
    writeFileSync(out, JSON.stringify(result, null, 2));
    console.log(`Wrote ${out}`);
  }
  if (save && given) {
    const written = await saveModel(given.model, save, { ...(given.compile ? { compile: given.compile } : {}) });
    console.log(`Saved the trained model to ${written.paths.join(', ')}`);
  }
}

main().catch((e) => {
  console.error(`train: ${firstLine(e)}`);
  process.exit(1);
});
