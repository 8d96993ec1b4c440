// Training as Keras shows it: the fit() log of the current run, and its per-epoch history as a
// table, each copyable with one click.

import { CopyButton } from './CopyButton.tsx';
import { fitLog, historyColumns, historyTsv, logValue } from '../fitLog.ts';
import { useStore } from '../store/store.ts';

export function FitLog() {
  const run = useStore((s) => s.runs.find((r) => r.id === s.currentRun));
  const progress = useStore((s) => s.progress);
  const ema = useStore((s) => s.ema);
  if (!run) {
    return <p className="muted">When a run starts, its log appears here as Keras prints it (Epoch 1/3, steps, loss, accuracy, val_loss…), with a table of every epoch to copy.</p>;
  }
  const { trainSize, validationSplit, batchSize, epochs } = run.settings;
  const trainCount = validationSplit > 0 ? Math.floor(trainSize * (1 - validationSplit)) : trainSize;
  const steps = progress?.stepsPerEpoch ?? Math.ceil(trainCount / batchSize);
  const live = ema.count > 0 ? ema.value / (1 - 0.9 ** ema.count) : null;
  const lines = fitLog(run.epochs, epochs, steps, run.status === 'running' ? progress : null, live);
  const columns = historyColumns(run.epochs);
  return (
    <div className="fit-log">
      <div className="toolbar">
        <strong>model.fit()</strong>
        <span className="muted small" data-testid="fit-run-label">{run.label}</span>
        <span className="spacer" />
        <CopyButton text={lines.join('\n')} label="Copy log" />
        <CopyButton text={run.epochs.length > 0 ? historyTsv(run.epochs) : ''} label="Copy table" />
      </div>
      <pre className="code fit-log-text" data-testid="fit-log" tabIndex={0} aria-label="Training log">
        {lines.length > 0 ? lines.join('\n') : 'Waiting for the first steps…'}
      </pre>
      {run.epochs.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Training history table">
          <table className="history" data-testid="history">
            <caption className="muted small">History: one row per epoch</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col" className="num">{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {run.epochs.map((e) => (
                <tr key={e.epoch}>
                  {columns.map((c) => (
                    <td key={c} className="num">
                      {c === 'epoch' ? e.epoch : c === 'seconds' ? (e.seconds?.toFixed(1) ?? '') : e.logs[c] === undefined ? '' : logValue(e.logs[c])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
