// Entry point of the training worker (WebGPU runs here, off the page's main thread).

import { workerLock } from './backupStore.ts';
import { Playground } from './playground.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const playground = new Playground((msg: FromWorker, transfer?: Transferable[]) => scope.postMessage(msg, transfer ?? []));

// Held until this worker ends (or dies): the page waits on it to notice a dead worker.
void navigator.locks?.request(workerLock(scope.name), () => new Promise<void>(() => undefined));

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  playground.handle(event.data).catch((e: unknown) => {
    scope.postMessage({ type: 'error', kind: 'other', message: e instanceof Error ? e.message : String(e) } satisfies FromWorker);
    scope.postMessage({ type: 'phase', phase: 'error' } satisfies FromWorker);
  });
};
