// The worker's side of the protocol: holds the data set, the WebGPU probe and the current
// training run, and answers each message type (exhaustively). Knows nothing of the DOM.

import { loadFashionMnist, type FashionMnist } from '../data/idx.ts';
import { missingKernels, modelToJSON, type Model } from '../model/index.ts';
import { autoEngine } from './autoEngine.ts';
import type { AutoChoice } from './engineChoice.ts';
import { createEngine, probeWebGpu, type ChosenEngine, type WebGpuProbe } from './engines.ts';
import { datasetFor, fashionData, regressionData, type DatasetKind, type TrainingData } from './datasets.ts';
import { openModelFiles, writeModel } from './modelFiles.ts';
import { buildModel, type ModelSpec } from './modelSpec.ts';
import type { ToWorker } from './protocol.ts';
import { compileArgs, compileRun, type Post, type TrainingRun } from './run.ts';
import { newestBackup, RunBackup } from './runBackup.ts';
import { DEFAULT_BACKUP_POLICY, type BackupPolicy } from '../model/train/backupWriter.ts';
import { validateSettings, type TrainSettings } from './settings.ts';
import type { WeightManifestEntry } from '../model/index.ts';
import type { NamedBytes, NamingLayout, WriteFormat } from '../model/io/types.ts';

/** The files' buffers that each belong to one file alone (safe to transfer). */
function ownBuffers(files: NamedBytes[]): ArrayBuffer[] {
  const whole = files.map((f) => f.data).filter((d) => d.byteOffset === 0 && d.byteLength === d.buffer.byteLength).map((d) => d.buffer);
  return whole.filter((b, i) => b instanceof ArrayBuffer && whole.indexOf(b) === i && whole.lastIndexOf(b) === i) as ArrayBuffer[];
}

/** The data set a model's downloaded compile() is for (Fashion-MNIST's when it fits none). */
function fitsKind(model: Model): DatasetKind {
  const fits = datasetFor(model);
  return 'kind' in fits ? fits.kind : 'fashion-mnist';
}

const DATA_URL = `${import.meta.env?.BASE_URL ?? '/'}fashion-mnist`;

export class Playground {
  private data: Promise<FashionMnist> | null = null;
  private probe: Promise<WebGpuProbe> | null = null;
  private run: TrainingRun | null = null;
  /** The spec the current run was built from (JSON), to tell whether the page still shows it. */
  private runSpec: string | null = null;
  /** The current run's backups (IndexedDB); it sees every message the run posts, for the curves. */
  private backup: RunBackup | null = null;
  private backupPolicy: BackupPolicy = DEFAULT_BACKUP_POLICY;

  constructor(private readonly post: Post) {}

  private readonly runPost: Post = (msg, transfer) => {
    this.backup?.observe(msg);
    this.post(msg, transfer);
  };

  handle(msg: ToWorker): Promise<void> {
    switch (msg.type) {
      case 'probe':
        return this.sendProbe();
      case 'train':
        return this.train(msg.spec, msg.settings);
      case 'pause':
        this.run?.pause();
        return Promise.resolve();
      case 'resume':
        return this.run && this.run.phase === 'paused' ? this.run.fit() : Promise.resolve();
      case 'stop':
        return this.run ? this.run.stop() : Promise.resolve();
      case 'resumeBackup':
        return this.resumeBackup(msg.runId);
      case 'backupPolicy':
        this.backupPolicy = { ...DEFAULT_BACKUP_POLICY, everySteps: msg.everySteps };
        return Promise.resolve();
      case 'inspect':
        return this.run ? this.run.refreshInside(null, msg.imageIndex) : Promise.resolve();
      case 'export':
        return this.exportModel();
      case 'import':
        return this.importModel(msg.spec, msg.manifest, msg.weights, msg.settings);
      case 'openFiles':
        return this.openFiles(msg.id, msg.files, msg.layout, msg.spec);
      case 'writeFiles':
        return this.writeFiles(msg.id, msg.format, msg.spec, msg.settings, msg.pythonWeights === true);
      default:
        msg satisfies never;
        return Promise.resolve();
    }
  }

  private getProbe(): Promise<WebGpuProbe> {
    this.probe ??= probeWebGpu();
    return this.probe;
  }

  private async sendProbe(): Promise<void> {
    this.post({ type: 'engines', webgpu: await this.getProbe() });
  }

  /** Fashion-MNIST, loaded once; a failure names the file and the command that fixes it. */
  private async loadData(): Promise<FashionMnist | null> {
    this.data ??= loadFashionMnist(DATA_URL);
    try {
      return await this.data;
    } catch (e) {
      this.data = null;
      const text = e instanceof Error ? e.message : String(e);
      const fix = text.includes('npm run data') ? '' : ' Run `npm run data` to write the Fashion-MNIST files into public/fashion-mnist.';
      this.post({ type: 'error', kind: 'data', message: `The dataset could not be loaded: ${text}${fix}` });
      this.post({ type: 'phase', phase: 'error' });
      return null;
    }
  }

  /**
   * Builds the model, finds the data set it fits (Fashion-MNIST or the synthetic regression set),
   * compiles it on the chosen engine; null after posting why not. `training`: the run will train
   * (Auto then times the engines); else it only evaluates loaded weights.
   */
  private async prepare(spec: ModelSpec, settings: TrainSettings, training: boolean): Promise<TrainingRun | null> {
    const errors = Object.values(validateSettings(settings));
    const fail = (message: string): null => {
      this.post({ type: 'error', kind: 'input', message });
      this.post({ type: 'phase', phase: 'error' });
      return null;
    };
    if (errors.length > 0) return fail(errors.join(' '));
    let model;
    try {
      model = buildModel(spec);
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
    const missing = missingKernels(model.graphLayers);
    if (missing) return fail(missing);
    const fits = datasetFor(model);
    if ('error' in fits) return fail(fits.error);
    this.post({ type: 'phase', phase: 'loading' });
    let data: TrainingData;
    if (fits.kind === 'regression') {
      data = regressionData(settings.trainSize, settings.testSize);
    } else {
      const mnist = await this.loadData();
      if (!mnist) return null;
      data = fashionData(mnist);
    }
    this.post({ type: 'phase', phase: 'compiling' });
    this.run?.dispose();
    this.run = null;
    this.backup?.unlock();
    this.backup = null;
    try {
      const probe = await this.getProbe();
      const { engine, note, auto } = await this.chooseEngine(spec, settings, data, probe, training);
      this.post({ type: 'engine', kind: engine.kind, description: engine.description, ...(note ? { note } : {}), ...(auto ? { auto } : {}) });
      const newEngine = async () => (await createEngine(engine.kind, probe)).engine;
      return await compileRun(model, settings, data, engine, this.runPost, newEngine);
    } catch (e) {
      return fail(`The model cannot be compiled: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The engine asked for, or with Auto the faster one on a few timed steps (posting the rates). */
  private async chooseEngine(spec: ModelSpec, settings: TrainSettings, data: TrainingData, probe: WebGpuProbe, training: boolean): Promise<ChosenEngine & { auto?: AutoChoice }> {
    if (settings.engine !== 'auto') return createEngine(settings.engine, probe);
    // Loaded weights are only evaluated: not worth timing training steps for; WebGPU where present.
    if (!training) return createEngine('webgpu', probe);
    const progress = (detail: string) => this.post({ type: 'phase', phase: 'compiling', detail });
    const { engine, choice } = await autoEngine(() => buildModel(spec), settings, data, probe, progress);
    this.post({ type: 'phase', phase: 'compiling' });
    return { engine, auto: choice };
  }

  private async train(spec: ModelSpec, settings: TrainSettings): Promise<void> {
    if (this.run?.isFitting) return;
    const built = await this.prepare(spec, settings, true);
    if (!built) return;
    const model = built.model;
    model.initializeWeights(settings.seed);
    built.pushWeights();
    this.run = built;
    this.runSpec = JSON.stringify(spec);
    // The filters and feature maps before training, for Look inside's before/after.
    await built.refreshInside(null);
    // A new run id: this tab's run alone (two tabs never share one).
    this.backup = await RunBackup.open(crypto.randomUUID(), spec, settings, built.engine.kind, this.post, null, this.backupPolicy);
    if (this.backup) built.useBackup(this.backup);
    await built.fit();
  }

  /** An interrupted run (a reload, a crash, a dead worker) goes on from its newest backup, on the engine it trained on. */
  private async resumeBackup(runId: string): Promise<void> {
    if (this.run?.isFitting) return;
    const fail = (message: string): void => {
      this.post({ type: 'error', kind: 'input', message });
      this.post({ type: 'phase', phase: 'error' });
    };
    let found;
    try {
      found = await newestBackup(runId);
    } catch (e) {
      return fail(`The run cannot be resumed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!found) return fail('The run cannot be resumed: its backups are gone (discarded in another tab, or torn).');
    const { spec, settings, engine, fitBase } = found.meta;
    const backup = await RunBackup.open(runId, spec, settings, engine, this.post, found, this.backupPolicy);
    if (!backup) return fail('This run is being trained in another tab.');
    const built = await this.prepare(spec, { ...settings, engine }, true);
    if (!built) return backup.unlock();
    [this.run, this.backup, this.runSpec] = [built, backup, JSON.stringify(spec)];
    built.useBackup(backup, { snapshot: found.snapshot, fitBase });
    await built.fit();
  }

  private async importModel(spec: ModelSpec, manifest: WeightManifestEntry[], weights: ArrayBuffer, settings: TrainSettings): Promise<void> {
    if (this.run?.isFitting) return;
    // Check the file before prepare() replaces the current run: a bad file must not cost it.
    try {
      buildModel(spec).loadWeights(manifest, weights);
    } catch (e) {
      this.post({ type: 'error', kind: 'input', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    const built = await this.prepare(spec, settings, false);
    if (!built) return;
    built.model.loadWeights(manifest, weights);
    built.pushWeights();
    this.run = built;
    this.runSpec = JSON.stringify(spec);
    await built.finish();
  }

  private async exportModel(): Promise<void> {
    if (!this.run) {
      this.post({ type: 'error', kind: 'input', message: 'There is no trained model to save yet: train one first.' });
      return;
    }
    await this.run.syncWeights();
    const saved = this.run.model.saveWeights();
    this.post({ type: 'exported', modelJson: modelToJSON(this.run.model), manifest: saved.manifest, weights: saved.data }, [saved.data]);
  }

  private async openFiles(id: number, files: NamedBytes[], layout: NamingLayout, spec: ModelSpec): Promise<void> {
    try {
      const opened = await openModelFiles(files, layout, () => buildModel(spec));
      this.post({ type: 'opened', id, opened }, opened.weights ? [opened.weights.data] : []);
    } catch (e) {
      this.post({ type: 'fileError', id, message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** The page's model in `format`: the trained weights when the run is that model, else a fresh initialization. */
  private async writeFiles(id: number, format: WriteFormat, spec: ModelSpec, settings: TrainSettings, pythonWeights: boolean): Promise<void> {
    try {
      const trained = this.run !== null && this.runSpec === JSON.stringify(spec);
      let model;
      if (trained) {
        await this.run!.syncWeights();
        model = this.run!.model;
      } else {
        model = buildModel(spec);
        model.initializeWeights(settings.seed);
      }
      const files = await writeModel(model, format, { baseName: spec.name, compile: compileArgs(settings, fitsKind(model)), weights: pythonWeights });
      this.post({ type: 'files', id, files, trained }, ownBuffers(files));
    } catch (e) {
      this.post({ type: 'fileError', id, message: e instanceof Error ? e.message : String(e) });
    }
  }
}
