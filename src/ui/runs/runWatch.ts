// Notices a worker that died mid-run: the page queues for the run's Web Lock, which the worker
// holds until the run ends. A clean end deletes the backups and says 'done' (or a new run in the
// same worker takes over); a lock released otherwise means the worker is gone (terminated,
// crashed, out of memory) and its run is left with its last backup.

import { runLock } from '../../worker/backupStore.ts';
import { useStore } from '../store/store.ts';

/** How long after the lock's release the page waits for the worker's own word (a 'done', a new run) before calling it dead. */
const SETTLE_MS = 1000;

/**
 * Once the worker that holds `runId`'s lock lets it go: unless the run ended or another replaced
 * it, the worker died; `restart` starts a new one, and the page offers the run's last backup.
 */
export function watchRun(runId: string, restart: () => void): void {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  // Held only for the callback: the page never keeps another tab's worker from resuming the run.
  void locks?.request(runLock(runId), () => void setTimeout(() => released(runId, restart), SETTLE_MS));
}

function released(runId: string, restart: () => void): void {
  const { backupRun, phase } = useStore.getState();
  if (backupRun?.runId !== runId || phase === 'done' || phase === 'idle') return;
  restart();
  const message = 'The training worker stopped unexpectedly (it crashed or was ended). The run can go on from its last backup: press Resume below.';
  useStore.setState({ phase: 'error', error: { kind: 'other', message }, lostRun: runId, backupRun: null });
  void useStore.getState().refreshBackups();
}
