// Live curves: loss per batch (raw and smoothed, one line per output for multi-output models),
// then per epoch loss and accuracy, train solid and validation dashed. Each output keeps its
// colour everywhere; earlier runs (of this session, and kept ones the user ticked in the run
// list: runs/overlay.ts) are drawn under the current one for comparison.
// No animation, bounded points; before a run each chart says what it will show.

import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { keyColor, outputColor, RUN_COLORS, TOTAL_COLOR } from '../colors.ts';
import { overlaidRuns, overlayName, type NumberedRun } from '../runs/overlay.ts';
import { useStore } from '../store/store.ts';
import { useRunOutputs } from '../useRunOutputs.ts';

const fmt = (v: unknown): string => (typeof v === 'number' ? v.toFixed(4) : String(v));
const HEIGHT = 220;

/** The earlier runs the charts overlay, oldest first, with their number in the run list. */
function useEarlierRuns(): NumberedRun[] {
  const runs = useStore((s) => s.runs);
  const kept = useStore((s) => s.keptRuns);
  const current = useStore((s) => s.currentRun);
  const choice = useStore((s) => s.overlayChoice);
  return overlaidRuns(kept, runs, current, choice);
}

function Frame({ title, testId, empty, children, attrs }: { title: string; testId: string; empty: string | null; children: ReactNode; attrs?: Record<string, string | number | undefined> }) {
  return (
    <figure className="chart" data-testid={testId} {...attrs}>
      <figcaption>{title}</figcaption>
      {empty ? (
        <p className="chart-empty" style={{ height: HEIGHT }}>{empty}</p>
      ) : (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          {children as never}
        </ResponsiveContainer>
      )}
    </figure>
  );
}

// Axis and legend text in the page's text colours (the series colours can be too light to read).
const xLabel = (value: string) => ({ value, position: 'insideBottom' as const, offset: -4, fontSize: 12, fill: 'var(--muted)' });
const yLabel = (value: string) => ({ value, angle: -90, position: 'insideLeft' as const, offset: 12, fontSize: 12, fill: 'var(--muted)', style: { textAnchor: 'middle' as const } });
const TICK = { fill: 'var(--muted)', fontSize: 12 };
const legendText = (value: string) => <span style={{ color: 'var(--fg)' }}>{value}</span>;

function BatchChart() {
  const points = useStore((s) => s.batchPoints);
  const outputs = useRunOutputs();
  const earlier = useEarlierRuns();
  const multi = outputs.length > 1;
  const empty = points.length === 0 && earlier.length === 0 ? 'The loss of every batch appears here when training starts: raw, smoothed, and one line per output.' : null;
  return (
    <Frame
      title="Loss per batch"
      testId="batch-chart"
      empty={empty}
      attrs={{ 'data-points': points.length, 'data-first-loss': points[0]?.smooth, 'data-last-loss': points[points.length - 1]?.smooth, 'data-overlaid': earlier.length }}
    >
      <LineChart margin={{ top: 5, right: 16, bottom: 18, left: 8 }}>
        <CartesianGrid stroke="var(--grid)" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={TICK} label={xLabel('training step')} />
        <YAxis width={52} tick={TICK} domain={['auto', 'auto']} tickFormatter={(v: number) => v.toFixed(2)} label={yLabel('loss')} />
        <Tooltip formatter={fmt} />
        <Legend verticalAlign="top" formatter={legendText} />
        {earlier.map((r, i) => (
          <Line key={r.id} data={r.curve} dataKey="loss" name={overlayName(r)} stroke={RUN_COLORS[i % RUN_COLORS.length]} dot={false} isAnimationActive={false} strokeWidth={1.5} />
        ))}
        <Line data={points} dataKey="loss" name="loss" stroke={multi ? '#cbd5e1' : '#93c5fd'} dot={false} isAnimationActive={false} strokeWidth={1} />
        <Line data={points} dataKey="smooth" name={multi ? 'total loss (smoothed)' : 'loss (smoothed)'} stroke={multi ? TOTAL_COLOR : outputColor(0)} dot={false} isAnimationActive={false} strokeWidth={2} />
        {multi && outputs.map((o, i) => (
          <Line key={o} data={points} dataKey={o} name={`${o} loss`} stroke={outputColor(i)} dot={false} isAnimationActive={false} strokeWidth={1.5} />
        ))}
      </LineChart>
    </Frame>
  );
}

function EpochChart({ metric, title }: { metric: 'loss' | 'accuracy'; title: string }) {
  const epochs = useStore((s) => s.epochPoints);
  const outputs = useRunOutputs();
  const earlier = useEarlierRuns();
  const data = epochs.map((e) => ({ epoch: e.epoch, ...e.logs }));
  const keys = epochs.length > 0 ? Object.keys(epochs[epochs.length - 1]!.logs).filter((k) => k.endsWith(metric)) : [];
  const overlay = earlier.filter((r) => r.epochs.some((e) => e.logs[metric] !== undefined));
  const what = metric === 'loss' ? 'loss' : 'accuracy';
  const empty =
    keys.length === 0 && overlay.length === 0
      ? epochs.length > 0
        ? `This model reports no ${what}: a regression model's outputs are scored by their loss (mean squared error).`
        : `The ${what} after every epoch appears here: training solid, validation dashed, one colour per output.`
      : null;
  return (
    <Frame title={title} testId={`epoch-${metric}-chart`} empty={empty} attrs={{ 'data-overlaid': overlay.length }}>
      <LineChart margin={{ top: 5, right: 16, bottom: 18, left: 8 }}>
        <CartesianGrid stroke="var(--grid)" />
        <XAxis dataKey="epoch" type="number" domain={[1, 'dataMax']} allowDecimals={false} tick={TICK} label={xLabel('epoch')} />
        <YAxis width={52} tick={TICK} domain={['auto', 'auto']} tickFormatter={(v: number) => v.toFixed(2)} label={yLabel(what)} />
        <Tooltip formatter={fmt} />
        <Legend verticalAlign="top" formatter={legendText} />
        {overlay.map((r, i) => (
          <Line
            key={r.id}
            data={r.epochs.map((e) => ({ epoch: e.epoch, [metric]: e.logs[metric] }))}
            dataKey={metric}
            name={overlayName(r)}
            stroke={RUN_COLORS[i % RUN_COLORS.length]}
            isAnimationActive={false}
            strokeWidth={1.5}
          />
        ))}
        {keys.map((k) => (
          <Line key={k} data={data} dataKey={k} stroke={keyColor(k, outputs)} strokeDasharray={k.startsWith('val_') ? '5 3' : undefined} isAnimationActive={false} strokeWidth={2} />
        ))}
      </LineChart>
    </Frame>
  );
}

export function TrainingCharts() {
  return (
    <div className="charts">
      <BatchChart />
      <EpochChart metric="loss" title="Loss per epoch" />
      <EpochChart metric="accuracy" title="Accuracy per epoch" />
    </div>
  );
}
