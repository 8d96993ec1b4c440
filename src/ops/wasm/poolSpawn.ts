// Starts the pool's threads: Node worker_threads (vitest, `npm run train`) or module Web Workers
// (the browser, where the pool lives in the training worker, so these are nested workers).
// Each thread gets its WorkerInit, instantiates the module and says 'ready' or 'failed'.
import { instanceImports, workerMain, type WorkerInit, type WorkerReport } from './poolWorkerMain.ts';

/** One started thread, as the pool sees it. */
export interface PoolThread {
  /** Resolves when the thread has instantiated the module; rejects with why it could not. */
  ready: Promise<void>;
  /** Ends the thread now, wherever it is. */
  terminate: () => Promise<void>;
}

export function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

/** A Node built-in module, loaded without an import statement so the browser bundle never sees it. */
export function nodeBuiltin<T>(name: string): T {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (!proc?.getBuiltinModule) throw new Error(`wasm pool: this Node has no process.getBuiltinModule (needs Node 20.16 or later) to load ${name}`);
  return proc.getBuiltinModule(name) as T;
}

const READY_TIMEOUT_MS = 20_000;

export function startThread(init: WorkerInit): PoolThread {
  return isNode() ? startNodeThread(init) : startWebWorker(init);
}

/** Waits for the thread's first report, or its death, or the clock. */
function readiness(
  where: string,
  listen: (onReport: (r: WorkerReport) => void, onError: (message: string) => void) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${where} did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    listen(
      (report) => {
        clearTimeout(timer);
        if (report.type === 'ready') resolve();
        else reject(new Error(`${where} could not instantiate the kernels module: ${report.message}`));
      },
      (message) => {
        clearTimeout(timer);
        reject(new Error(`${where} failed to start: ${message}`));
      },
    );
  });
}

interface NodeWorker {
  once(event: 'message', listener: (r: WorkerReport) => void): void;
  once(event: 'error', listener: (e: Error) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

function startNodeThread(init: WorkerInit): PoolThread {
  const { Worker } = nodeBuiltin<{ Worker: new (code: string, options: object) => NodeWorker }>('node:worker_threads');
  const source = [
    "const { parentPort, workerData } = require('node:worker_threads');",
    // esbuild (tsx, vitest) may wrap inner functions in __name(fn, 'name') to keep their names.
    'const __name = (fn) => fn;',
    `const instanceImports = (${instanceImports.toString()});`,
    `(${workerMain.toString()})(workerData, (report) => parentPort.postMessage(report), instanceImports);`,
  ].join('\n');
  const worker = new Worker(source, { eval: true, workerData: init, name: `wasm-pool-${init.index}` });
  // A pool nobody closed must not keep the process alive: its threads only ever wait.
  worker.unref();
  const ready = readiness(`wasm pool thread ${init.index}`, (onReport, onError) => {
    worker.once('message', onReport);
    worker.once('error', (e) => onError(e.message));
  });
  return {
    ready,
    terminate: async () => {
      await worker.terminate();
    },
  };
}

function startWebWorker(init: WorkerInit): PoolThread {
  const worker = new Worker(new URL('./poolWorker.ts', import.meta.url), { type: 'module', name: `wasm-pool-${init.index}` });
  const ready = readiness(`wasm pool thread ${init.index}`, (onReport, onError) => {
    worker.addEventListener('message', (e: MessageEvent<WorkerReport>) => onReport(e.data), { once: true });
    worker.addEventListener('error', (e) => onError(e.message || 'the worker script did not load (is it served with the same COEP headers as the page?)'), { once: true });
  });
  worker.postMessage(init);
  return {
    ready,
    terminate: async () => worker.terminate(),
  };
}
