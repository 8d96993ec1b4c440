// Live curves: loss per batch (raw and smoothed), then per epoch loss and accuracy, train vs
// validation, one line per output for multi-output models. No animation, bounded points.

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStore } from '../store/store.ts';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];
const fmt = (v: unknown): string => (typeof v === 'number' ? v.toFixed(4) : String(v));

function BatchChart() {
  const points = useStore((s) => s.batchPoints);
  const outputs = points.length > 0 ? Object.keys(points[points.length - 1]!).filter((k) => !['step', 'loss', 'smooth'].includes(k)) : [];
  return (
    <figure
      className="chart"
      data-testid="batch-chart"
      data-points={points.length}
      data-first-loss={points[0]?.smooth}
      data-last-loss={points[points.length - 1]?.smooth}
    >
      <figcaption>Loss per batch</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 5, right: 16, bottom: 5, left: 0 }}>
          <CartesianGrid stroke="#eee" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
          <YAxis width={48} domain={['auto', 'auto']} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={fmt} />
          <Legend />
          <Line dataKey="loss" name="loss" stroke="#93c5fd" dot={false} isAnimationActive={false} strokeWidth={1} />
          <Line dataKey="smooth" name="loss (smoothed)" stroke="#1d4ed8" dot={false} isAnimationActive={false} strokeWidth={2} />
          {outputs.map((o, i) => (
            <Line key={o} dataKey={o} name={`${o} loss`} stroke={COLORS[(i + 2) % COLORS.length]} dot={false} isAnimationActive={false} strokeWidth={1} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

function EpochChart({ metric, title }: { metric: 'loss' | 'accuracy'; title: string }) {
  const epochs = useStore((s) => s.epochPoints);
  const data = epochs.map((e) => ({ epoch: e.epoch, ...e.logs }));
  const keys = epochs.length > 0 ? Object.keys(epochs[epochs.length - 1]!.logs).filter((k) => k.endsWith(metric)) : [];
  return (
    <figure className="chart" data-testid={`epoch-${metric}-chart`}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data} margin={{ top: 5, right: 16, bottom: 5, left: 0 }}>
          <CartesianGrid stroke="#eee" />
          <XAxis dataKey="epoch" type="number" domain={[1, 'dataMax']} allowDecimals={false} />
          <YAxis width={48} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={fmt} />
          <Legend />
          {keys.map((k, i) => (
            <Line key={k} dataKey={k} stroke={COLORS[i % COLORS.length]} strokeDasharray={k.startsWith('val_') ? '5 3' : undefined} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function TrainingCharts() {
  return (
    <div className="charts">
      <BatchChart />
      <EpochChart metric="loss" title="Loss per epoch (dashed: validation)" />
      <EpochChart metric="accuracy" title="Accuracy per epoch (dashed: validation)" />
    </div>
  );
}
