// The headless trainer's WebGPU side: runs the shared training core in Chromium on the page's
// WebGPU adapter, logs progress to the console (the Node driver prints it) and publishes the result.
import { fetchFiles, loadFashionMnist } from '../../src/data/idx';
import type { TuningMode } from '../../src/gpu/tuning';
import { processTuningStore, type TuningEntries } from '../../src/gpu/tuningStores';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { train, type TrainOptions, type TrainResult } from '../../src/model/train/headless';

declare global {
  interface Window {
    __train: { done: boolean; result?: TrainResult; error?: string; tuning?: TuningEntries };
    /** The CLI's tuning file entries, set before this page loads (scripts/train.ts). */
    __tuningSeed?: TuningEntries;
  }
}

window.__train = { done: false };
const params = new URLSearchParams(location.search);
const opts = JSON.parse(params.get('opts') ?? '{}') as TrainOptions;
processTuningStore.seed(window.__tuningSeed);
GpuEngine.create(undefined, { tuning: (params.get('tuning') ?? 'auto') as TuningMode })
  .then((engine) => train(opts, engine, () => loadFashionMnist(fetchFiles('/public/fashion-mnist/')), (line) => console.log(line)))
  .then((result) => (window.__train.result = result))
  .catch((e) => (window.__train.error = e instanceof Error ? e.message : String(e)))
  .finally(() => {
    // Everything known, seeded entries included: the driver writes it back to its file.
    window.__train.tuning = processTuningStore.entries();
    window.__train.done = true;
  });
