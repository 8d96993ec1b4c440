// The kept runs (runs/keptRuns.ts): every finished or stopped run with its settings, how it
// ended and its final metrics, kept across reloads until deleted, so runs can be compared later.

import { isBusy, type RunRecord } from '../runs.ts';
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
  const deleteRun = useStore((s) => s.deleteRun);
  const runs = [...kept, ...session];
  if (runs.length === 0) return null;
  const busy = isBusy(phase) || phase === 'paused';
  return (
    <details className="run-list" data-testid="run-list" open>
      <summary>
        Kept runs ({runs.length}): kept in this browser across reloads until deleted
      </summary>
      <ol reversed>
        {[...runs].reverse().map((run) => (
          <li key={run.id} data-testid="kept-run">
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
