// Runs are kept: every run of this session (the store's `runs`: settings, curves, final
// metrics) is written to IndexedDB as it changes; the runs of earlier sessions are read back at
// start into `keptRuns` (listed, and the last few of the page's data set overlaid in the charts:
// runs/overlay.ts) until the user deletes them. A run that was still going when the page went away comes back as stopped (its backup,
// if any, is offered for Resume, which brings the same record back into this session).

import { allRuns, deleteRun, putRun } from '../../worker/backupStore.ts';
import { datasetFor, type DatasetKind } from '../../worker/datasets.ts';
import { buildModel, type ModelSpec } from '../../worker/modelSpec.ts';
import { defaultKeptOverlay } from './overlay.ts';
import type { RunRecord } from '../runs.ts';
import { useStore } from '../store/store.ts';

/** Loads the kept runs into the store, then keeps this session's runs written. */
export async function keepRuns(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  let kept: RunRecord[] = [];
  try {
    kept = await allRuns<RunRecord>();
  } catch (e) {
    console.warn(`The kept runs could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const loaded = kept.map((r) => (r.status === 'running' ? { ...r, status: 'stopped' as const } : r)).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const { runs: now, spec, overlayChoice } = useStore.getState();
  const keptRuns = loaded.filter((r) => !now.some((n) => n.id === r.id));
  // A choice made before the list was read (unlikely, but the user's) wins over the default.
  useStore.setState({ keptRuns, overlayChoice: { ...defaultKeptOverlay(keptRuns, pageDataset(spec)), ...overlayChoice } });
  useStore.subscribe((s, prev) => {
    if (s.runs === prev.runs) return;
    const report = (e: unknown) => console.warn(`A run could not be kept: ${e instanceof Error ? e.message : String(e)}`);
    for (const r of s.runs) if (!prev.runs.includes(r)) putRun(r).catch(report);
    // An id gone from the list: a deleted run, or one renamed to its backup's run id.
    for (const r of prev.runs) if (!s.runs.some((n) => n.id === r.id)) deleteRun(r.id).catch(report);
  });
}

/** The data set the page's model trains on (null when it fits none or does not build). */
function pageDataset(spec: ModelSpec): DatasetKind | null {
  try {
    const fits = datasetFor(buildModel(spec));
    return 'kind' in fits ? fits.kind : null;
  } catch {
    return null;
  }
}
