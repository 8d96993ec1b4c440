// Says when what a section shows was trained on another model than the page's (edited, picked
// or loaded since): the learner sees which run it is, and that Start trains the new model.

import { useStore } from '../store/store.ts';

/** True when the current run's model is not the page's model. */
export function useStale(): boolean {
  return useStore((s) => {
    const run = s.runs.find((r) => r.id === s.currentRun);
    return run !== undefined && JSON.stringify(run.spec) !== JSON.stringify(s.spec);
  });
}

export function StaleNote({ what }: { what: string }) {
  const stale = useStale();
  const label = useStore((s) => s.runs.find((r) => r.id === s.currentRun)?.label);
  if (!stale) return null;
  return (
    <p className="notice warning stale" data-testid="stale">
      {what} are from an earlier model ({label}). The model has changed since: press Start to train it.
    </p>
  );
}
