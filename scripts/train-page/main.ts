// The headless trainer's WebGPU side: runs the shared training core in Chromium on the page's
// WebGPU adapter, logs progress to the console (the Node driver prints it) and publishes the
// result, with the trained weights when Node will save the model, and the kernel tuning choices.
// With --backup-dir the run's backups go through Node (nodeLink.ts).
import { fetchFiles, loadFashionMnist } from '../../src/data/idx';
import type { TuningMode } from '../../src/gpu/tuning';
import { processTuningStore, type TuningEntries } from '../../src/gpu/tuningStores';
import { examples } from '../../src/model/examples';
import type { WeightManifestEntry } from '../../src/model/index';
import { resetNameScope } from '../../src/model/naming';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { train, type TrainOptions, type TrainResult } from '../../src/model/train/headless';
import { nodeBackups, toBase64 } from './nodeLink';

declare global {
  interface Window {
    __train: { done: boolean; result?: TrainResult; weights?: { manifest: WeightManifestEntry[]; base64: string }; error?: string; tuning?: TuningEntries };
    /** The CLI's tuning file entries, set before this page loads (scripts/train.ts). */
    __tuningSeed?: TuningEntries;
  }
}

window.__train = { done: false };
const params = new URLSearchParams(location.search);
const opts = JSON.parse(params.get('opts') ?? '{}') as TrainOptions;
/** The driver's --backup-dir (its --backup-every), and whether it saves the trained model. */
const link = JSON.parse(params.get('link') ?? '{}') as { backupEvery?: number; save?: boolean };

async function run(): Promise<void> {
  processTuningStore.seed(window.__tuningSeed);
  const engine = await GpuEngine.create(undefined, { tuning: (params.get('tuning') ?? 'auto') as TuningMode });
  const backups = link.backupEvery !== undefined ? await nodeBackups(link.backupEvery) : undefined;
  // Built here, as train() would, so the trained layers are at hand to send back.
  const example = link.save ? examples[opts.model] : undefined;
  if (example) resetNameScope();
  const given = example ? { model: example.build(), weightsLoaded: false } : undefined;
  const result = await train(opts, engine, () => loadFashionMnist(fetchFiles('/public/fashion-mnist/')), (line) => console.log(line), given, backups);
  if (given) {
    const saved = given.model.saveWeights();
    window.__train.weights = { manifest: saved.manifest, base64: toBase64(new Uint8Array(saved.data)) };
  }
  window.__train.result = result;
}

run()
  .catch((e) => (window.__train.error = e instanceof Error ? e.message : String(e)))
  .finally(() => {
    // Everything known, seeded entries included: the driver writes it back to its file.
    window.__train.tuning = processTuningStore.entries();
    window.__train.done = true;
  });
