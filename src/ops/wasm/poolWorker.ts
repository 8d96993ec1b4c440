// The browser's pool thread: a module Web Worker (started by pool.ts, itself usually inside the
// training worker) that waits for its WorkerInit, then hands its life to workerMain. It never
// returns to its event loop: from then on it only listens to the control block.
import { instanceImports, workerMain, type WorkerInit, type WorkerReport } from './poolWorkerMain.ts';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerInit>) => void) | null;
  postMessage: (report: WorkerReport) => void;
};

scope.onmessage = (event) => {
  scope.onmessage = null;
  workerMain(event.data, (report) => scope.postMessage(report), instanceImports);
  self.close();
};
