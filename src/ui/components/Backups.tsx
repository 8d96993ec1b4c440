// Backups on the page: the runs a reload, a crash or a dead worker interrupted (their model,
// where they stopped, their curve so far) with Resume and Discard; how the current run's backups
// go (or why they stopped); and the browser storage they use.

import { useEffect } from 'react';
import type { InterruptedRun } from '../../worker/interruptedRuns.ts';
import { useStore } from '../store/store.ts';
import { isBusy } from '../runs.ts';

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const time = (ms: number): string => new Date(ms).toLocaleTimeString();

/** The loss curve so far, as a small line. */
function Sparkline({ run }: { run: InterruptedRun }) {
  const points = run.meta?.batchPoints ?? [];
  if (points.length < 2) return null;
  const losses = points.map((p) => p.loss);
  const [lo, hi] = [Math.min(...losses), Math.max(...losses)];
  const last = points.at(-1)!.step;
  const d = points.map((p) => `${((p.step / last) * 160).toFixed(1)},${(40 - ((p.loss - lo) / (hi - lo || 1)) * 36 - 2).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={160} height={40} aria-label="loss so far">
      <polyline points={d} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}

function Interrupted({ run }: { run: InterruptedRun }) {
  const resumeRun = useStore((s) => s.resumeRun);
  const discardRun = useStore((s) => s.discardRun);
  const busy = useStore((s) => isBusy(s.phase));
  const meta = run.meta;
  const lastEpoch = meta?.epochPoints.at(-1);
  return (
    <div className="notice interrupted" data-testid="interrupted-run">
      {meta ? (
        <p>
          <strong>Interrupted run:</strong> {meta.spec.name} · {meta.settings.optimizer} {meta.settings.learningRate} · batch {meta.settings.batchSize} · stopped at epoch{' '}
          {Math.min(run.epochsDone + 1, meta.settings.epochs)}/{meta.settings.epochs}, step {run.step} (backed up {time(run.savedAt)} on {meta.engine === 'cpu' ? 'the CPU' : 'WebGPU'})
          {lastEpoch && <span className="muted"> · last epoch: {Object.entries(lastEpoch.logs).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}</span>}
        </p>
      ) : (
        <p>
          <strong>A backup that cannot be resumed:</strong> {run.problem}
        </p>
      )}
      <Sparkline run={run} />
      <span className="buttons">
        {meta && (
          <button type="button" onClick={() => resumeRun(run)} disabled={busy} data-testid="resume-backup">
            Resume
          </button>
        )}
        <button type="button" onClick={() => void discardRun(run.runId)} data-testid="discard-backup">
          Discard
        </button>
      </span>
    </div>
  );
}

function BackupStatusLine() {
  const backup = useStore((s) => s.backupRun);
  if (!backup) return null;
  const { stopped, last } = backup.status;
  if (stopped) {
    return (
      <p className="notice warning" data-testid="backup-status">
        Backups stopped: {stopped} Training goes on, but a reload or crash from here loses the steps since the last backup{last ? ` (epoch ${last.epoch + 1}, step ${last.step})` : ''}.
      </p>
    );
  }
  return (
    <p className="muted" data-testid="backup-status">
      {last ? `Backed up at ${time(last.savedAt)} (epoch ${last.epoch + 1}, step ${last.step}); a reload or crash resumes from there.` : 'Backups: at every epoch end and about every 30 s.'}
    </p>
  );
}

export function Backups() {
  const interrupted = useStore((s) => s.interrupted);
  const storage = useStore((s) => s.storage);
  const refresh = useStore((s) => s.refreshBackups);
  const written = useStore((s) => s.backupRun?.status.written ?? 0);
  useEffect(() => void refresh(), [refresh, written]);
  return (
    <div className="backups" data-testid="backups">
      {interrupted.map((run) => (
        <Interrupted key={run.runId} run={run} />
      ))}
      <BackupStatusLine />
      {storage && (
        <p className="muted" data-testid="storage-use">
          Browser storage: {mb(storage.usage)} used of {mb(storage.quota)}
          {interrupted.length > 0 && `, ${mb(interrupted.reduce((n, r) => n + r.bytes, 0))} of it interrupted runs' backups`}.
        </p>
      )}
    </div>
  );
}
