// The headless trainer's WebGPU side: runs the shared training core in Chromium on the page's
// WebGPU adapter, logs progress to the console (the Node driver prints it) and publishes the result.
import { fetchFiles, loadFashionMnist } from '../../src/data/idx';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { train, type TrainOptions, type TrainResult } from '../../src/model/train/headless';

declare global {
  interface Window {
    __train: { done: boolean; result?: TrainResult; error?: string };
  }
}

window.__train = { done: false };
const opts = JSON.parse(new URLSearchParams(location.search).get('opts') ?? '{}') as TrainOptions;
GpuEngine.create()
  .then((engine) => train(opts, engine, () => loadFashionMnist(fetchFiles('/public/fashion-mnist/')), (line) => console.log(line)))
  .then((result) => (window.__train.result = result))
  .catch((e) => (window.__train.error = e instanceof Error ? e.message : String(e)))
  .finally(() => (window.__train.done = true));
