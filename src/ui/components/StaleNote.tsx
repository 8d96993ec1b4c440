// Says when what a section shows was trained on another model than the page's (edited, picked
// or loaded since): the learner sees which run it is, and that Start trains the new model.

import { useStore } from '../store/store.ts';

/** True when the model the views show (trained or loaded) is not the page's model. */
export function useStale(): boolean {
  return useStore((s) => s.shownSpec !== null && JSON.stringify(s.shownSpec) !== JSON.stringify(s.spec));
}

export function StaleNote({ what }: { what: string }) {
  const stale = useStale();
  const label = useStore((s) => s.runs.find((r) => r.id === s.currentRun)?.label ?? `${s.shownSpec?.name ?? 'a model'}, loaded with its weights`);
  if (!stale) return null;
  return (
    <p className="notice warning stale" data-testid="stale">
      {what} are from an earlier model ({label}). The model has changed since: press Start to train it.
    </p>
  );
}
