// Two summaries side by side in Keras's layout: the verdict first, rows paired by the model API's
// comparison, differing cells in amber with their count, totals compared, and the InputLayer row
// that only a functional model lists explained; or the plain text model.summary() prints.

import { useState } from 'react';
import { compareSummaries, pythonTuple, thousands, type ModelSummary, type RowComparison, type RowField, type SummaryComparison, type SummaryRow } from '../../model/index.ts';
import { useStore } from '../store/store.ts';
import { useModel } from '../useModel.ts';
import { ExamplePicker } from './ExamplePicker.tsx';

type Layout = 'classic' | 'keras3';

function RowCells({ row, differences, connected }: { row?: SummaryRow; differences: RowField[]; connected: boolean }) {
  const cls = (f: RowField) => (differences.includes(f) ? 'diff' : undefined);
  if (!row) return <td className="absent" colSpan={connected ? 4 : 3}>—</td>;
  return (
    <>
      <td className={cls('className')}>
        {row.name} <span className="muted">({row.className})</span>
      </td>
      <td className={cls('outputShape')}>{row.outputShapes.map((s) => pythonTuple(s)).join(' ')}</td>
      <td className={`num ${cls('params') ?? ''}`}>{thousands(row.params)}</td>
      {connected && <td className="muted">{row.inbound.join(', ')}</td>}
    </>
  );
}

function Head({ connected }: { connected: boolean }) {
  return (
    <>
      <th>Layer (type)</th>
      <th>Output Shape</th>
      <th className="num">Param #</th>
      {connected && <th>Connected to</th>}
    </>
  );
}

function TotalRow({ label, a, b, connectedA, connectedB }: { label: string; a: number; b: number; connectedA: boolean; connectedB: boolean }) {
  const cls = a === b ? 'total same' : 'total diff';
  return (
    <tr className={cls}>
      <td colSpan={2}>{label}</td>
      <td className="num">{thousands(a)}</td>
      {connectedA && <td />}
      <td className="gap">{a === b ? '=' : '≠'}</td>
      <td colSpan={2}>{label}</td>
      <td className="num">{thousands(b)}</td>
      {connectedB && <td />}
    </tr>
  );
}

function statusMark(r: RowComparison): string {
  if (r.status === 'match') return '=';
  if (r.status === 'differ') return '≠';
  return '';
}

const isInputOnly = (r: RowComparison): boolean => (r.status === 'onlyA' || r.status === 'onlyB') && (r.a ?? r.b)!.className === 'InputLayer';

/** The verdict line: equivalent (green), or how many rows differ (amber). */
function Verdict({ a, b, comparison }: { a: ModelSummary; b: ModelSummary; comparison: SummaryComparison }) {
  const differing = comparison.rows.filter((r) => r.status !== 'match' && !isInputOnly(r)).length;
  const rows = `${differing} row${differing === 1 ? '' : 's'} differ${differing === 1 ? 's' : ''}`;
  return (
    <p className={`verdict ${comparison.equivalent ? 'ok' : 'differ'}`} data-testid="compare-verdict" data-differences={differing}>
      {comparison.equivalent
        ? `Equivalent: the same layers, output shapes and ${thousands(a.totalParams)} parameters.`
        : comparison.totalsAgree
          ? `Different layers (${rows}), the same parameter totals.`
          : `Different: ${rows}; ${thousands(a.totalParams)} vs ${thousands(b.totalParams)} parameters.`}
    </p>
  );
}

function CompareTable({ a, b }: { a: ModelSummary; b: ModelSummary }) {
  const comparison = compareSummaries(a, b);
  const ca = !a.sequentialLike;
  const cb = !b.sequentialLike;
  const unpairedInput = comparison.rows.find(isInputOnly);
  return (
    <>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Summaries side by side">
        <table className="summary-compare">
          <thead>
            <tr>
              <th colSpan={ca ? 4 : 3} data-testid="summary-a-title">Model: "{a.modelName}" ({a.kind})</th>
              <th className="gap" />
              <th colSpan={cb ? 4 : 3} data-testid="summary-b-title">Model: "{b.modelName}" ({b.kind})</th>
            </tr>
            <tr>
              <Head connected={ca} />
              <th className="gap" />
              <Head connected={cb} />
            </tr>
          </thead>
          <tbody>
            {comparison.rows.map((r, i) => (
              <tr key={i} className={`row-${r.status}`}>
                <RowCells row={r.a} differences={r.differences} connected={ca} />
                <td className="gap">{isInputOnly(r) ? <span title="See the note on InputLayer below">*</span> : statusMark(r)}</td>
                <RowCells row={r.b} differences={r.differences} connected={cb} />
              </tr>
            ))}
            <TotalRow label="Total params" a={a.totalParams} b={b.totalParams} connectedA={ca} connectedB={cb} />
            <TotalRow label="Trainable params" a={a.trainableParams} b={b.trainableParams} connectedA={ca} connectedB={cb} />
            <TotalRow label="Non-trainable params" a={a.nonTrainableParams} b={b.nonTrainableParams} connectedA={ca} connectedB={cb} />
          </tbody>
        </table>
      </div>
      {unpairedInput && (
        <p className="note small" data-testid="input-layer-note">
          * The InputLayer row appears on one side only, and that is the point: a Sequential model keeps its input inside and its
          summary() does not list it, while a functional model starts from <code>keras.Input</code>, an InputLayer that summary()
          lists with 0 parameters. The network is the same either way.
        </p>
      )}
      <p className="muted small" data-testid="totals">
        <span data-testid="total-a">Total params: {thousands(a.totalParams)}</span> ·{' '}
        <span data-testid="total-b">Total params: {thousands(b.totalParams)}</span>
      </p>
    </>
  );
}

/** The verdict on the page's model against the comparison model, for the top of the comparison. */
export function CompareVerdict() {
  const a = useModel(useStore((s) => s.spec)).summaryRows();
  const b = useModel(useStore((s) => s.compareSpec)).summaryRows();
  return <Verdict a={a} b={b} comparison={compareSummaries(a, b)} />;
}

/** The comparison model's picker. */
export function ComparePicker() {
  const compareExample = useStore((s) => s.compareExample);
  const pickCompare = useStore((s) => s.pickCompare);
  return <ExamplePicker label="Compare with" value={compareExample} onPick={pickCompare} testId="compare-picker" />;
}

export function SummaryCompare() {
  const specA = useStore((s) => s.spec);
  const specB = useStore((s) => s.compareSpec);
  const a = useModel(specA);
  const b = useModel(specB);
  const [plain, setPlain] = useState(false);
  const [layout, setLayout] = useState<Layout>('classic');
  return (
    <div className="summary-compare-view">
      <div className="toolbar">
        <span className="muted">Left: your model (the editor). Right: the model picked above.</span>
        <label>
          <input type="checkbox" checked={plain} onChange={(e) => setPlain(e.target.checked)} data-testid="plain-toggle" /> Plain text
        </label>
        {plain && (
          <select value={layout} onChange={(e) => setLayout(e.target.value as Layout)} aria-label="Summary layout">
            <option value="classic">tf.keras 2 layout</option>
            <option value="keras3">Keras 3 layout</option>
          </select>
        )}
      </div>
      {plain ? (
        <div className="side-by-side">
          <pre className="code summary-text" data-testid="summary-text-a" tabIndex={0} aria-label="Your model's summary">{a.summary({ layout })}</pre>
          <pre className="code summary-text" data-testid="summary-text-b" tabIndex={0} aria-label="The compared model's summary">{b.summary({ layout })}</pre>
        </div>
      ) : (
        <CompareTable a={a.summaryRows()} b={b.summaryRows()} />
      )}
    </div>
  );
}
