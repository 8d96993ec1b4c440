// Notices a training worker that died (terminated, crashed, out of memory): each worker holds a
// Web Lock named after it for its whole life, and the page queues for that lock. When the page
// gets it, the worker is gone; if a run was alive in it, the run is left with its last backup,
// which the page offers for Resume.

import { workerLock } from '../../worker/backupStore.ts';
import { useStore } from '../store/store.ts';

/** Calls `onDeath` once the worker named `name` is gone. */
export async function watchWorker(name: string, onDeath: () => void): Promise<void> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return;
  // Queue only behind the worker: asked before the worker holds it, the page would get it at once.
  for (let tries = 0; ; tries++) {
    const { held = [] } = await locks.query();
    if (held.some((l) => l.name === workerLock(name))) break;
    if (tries > 100) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  void locks.request(workerLock(name), () => onDeath());
}

const ALIVE = ['loading', 'compiling', 'training', 'paused', 'stopping', 'evaluating'];

/** After a new worker replaced a dead one: a run that was alive in it is offered from its last backup. */
export function workerDied(): void {
  const { backupRun, phase } = useStore.getState();
  if (!backupRun || !ALIVE.includes(phase)) return;
  const message = 'The training worker stopped unexpectedly (it crashed or was ended). The run can go on from its last backup: press Resume below.';
  useStore.setState({ phase: 'error', error: { kind: 'other', message }, lostRun: backupRun.runId, backupRun: null });
  void useStore.getState().refreshBackups();
}
