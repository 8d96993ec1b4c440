// The kept runs (runs/keptRuns.ts): every finished or stopped run with its settings, how it
// ended and its final metrics, kept across reloads until deleted, so runs can be compared later.
// Each has a checkbox that draws it in the charts under the current run (runs/overlay.ts).

import { isBusy, type RunRecord } from '../runs.ts';
import { canOverlay, numberedRuns, overlaidRuns } from '../runs/overlay.ts';
import { useStore } from '../store/store.ts';

const STATUS: Record<RunRecord['status'], string> = { running: 'running', finished: 'finished', stopped: 'stopped', failed: 'failed' };

/** The last epoch's logs, as Keras prints them. */
function finalMetrics(run: RunRecord): string {
  const last = run.epochs.at(-1);
  if (!last) return 'no epoch finished';
  return `after epoch ${last.epoch}: ${Object.entries(last.logs).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' · ')}`;
}

export function RunList() {
  const session = useStore((s) => s.runs);
  const kept = useStore((s) => s.keptRuns);
  const current = useStore((s) => s.currentRun);
  const phase = useStore((s) => s.phase);
  const choice = useStore((s) => s.overlayChoice);
  const deleteRun = useStore((s) => s.deleteRun);
  const setOverlay = useStore((s) => s.setOverlay);
  const runs = numberedRuns(kept, session);
  if (runs.length === 0) return null;
  const overlaid = new Set(overlaidRuns(kept, session, current, choice).map((r) => r.id));
  const busy = isBusy(phase) || phase === 'paused';
  return (
    <details className="run-list" data-testid="run-list" open>
      <summary>
        Kept runs ({runs.length}): kept in this browser across reloads until deleted; ticked ones are drawn in the charts
      </summary>
      <ol reversed>
        {[...runs].reverse().map((run) => (
          <li key={run.id} data-testid="kept-run" data-run-number={run.number}>
            <label className="overlay-toggle">
              <input
                type="checkbox"
                data-testid="overlay-run"
                checked={overlaid.has(run.id)}
                disabled={!canOverlay(run, current)}
                onChange={(e) => setOverlay(run.id, e.target.checked)}
                aria-label={`Draw run ${run.number} in charts`}
              />{' '}
              in charts
            </label>{' '}
            <span className={`status status-${run.status}`}>{STATUS[run.status]}</span> <strong>{run.label}</strong>{' '}
            <span className="muted">
              · {new Date(run.startedAt).toLocaleString()}
              {run.engine ? ` · ${run.engine}` : ''} · {finalMetrics(run)}
            </span>{' '}
            <button type="button" onClick={() => void deleteRun(run.id)} disabled={busy && run.id === current} data-testid="delete-run">
              Delete
            </button>
          </li>
        ))}
      </ol>
    </details>
  );
}
