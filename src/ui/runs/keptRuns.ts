// Runs are kept: every run of the page's run list (settings, curves, final metrics) is written to
// IndexedDB as it changes and read back at start, until the user deletes it. A run that was
// still going when the page went away comes back as stopped (its backup, if any, is offered for
// Resume, which picks the same record up again).

import { allRuns, deleteRun, putRun } from '../../worker/backupStore.ts';
import type { RunRecord } from '../runs.ts';
import { useStore } from '../store/store.ts';

/** Loads the kept runs into the store, then keeps the store's runs written. */
export async function keepRuns(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  let kept: RunRecord[] = [];
  try {
    kept = await allRuns<RunRecord>();
  } catch (e) {
    console.warn(`The kept runs could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const loaded = kept.map((r) => (r.status === 'running' ? { ...r, status: 'stopped' as const } : r)).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const now = useStore.getState().runs;
  useStore.setState({ runs: [...loaded.filter((r) => !now.some((n) => n.id === r.id)), ...now] });
  useStore.subscribe((s, prev) => {
    if (s.runs === prev.runs) return;
    const report = (e: unknown) => console.warn(`A run could not be kept: ${e instanceof Error ? e.message : String(e)}`);
    for (const r of s.runs) if (!prev.runs.includes(r)) putRun(r).catch(report);
    for (const r of prev.runs) if (!s.runs.some((n) => n.id === r.id)) deleteRun(r.id).catch(report);
  });
}
