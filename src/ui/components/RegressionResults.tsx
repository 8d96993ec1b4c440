// A regression run's test results: each output's mean squared and absolute error, and its
// predictions against the true targets (points on the diagonal are right), in the output's colour.

import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { RegressionResults } from '../../worker/protocol.ts';
import { outputColor } from '../colors.ts';

function Plot({ output, index }: { output: RegressionResults['outputs'][number]; index: number }) {
  const points = output.truth.map((t, i) => ({ truth: t, predicted: output.predicted[i]! }));
  const all = [...output.truth, ...output.predicted];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  return (
    <figure className="chart" data-testid={`scatter-${output.name}`}>
      <figcaption>
        <span style={{ color: outputColor(index) }}>●</span> {output.name}: predicted vs true
      </figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <ScatterChart margin={{ top: 5, right: 16, bottom: 18, left: 8 }}>
          <CartesianGrid stroke="var(--grid)" />
          <XAxis tick={{ fill: 'var(--muted)', fontSize: 12 }} dataKey="truth" type="number" domain={[lo, hi]} tickFormatter={(v: number) => v.toFixed(1)} label={{ value: 'true value', position: 'insideBottom', offset: -4, fontSize: 12, fill: 'var(--muted)' }} />
          <YAxis tick={{ fill: 'var(--muted)', fontSize: 12 }} dataKey="predicted" type="number" domain={[lo, hi]} width={52} tickFormatter={(v: number) => v.toFixed(1)} label={{ value: 'predicted', angle: -90, position: 'insideLeft', offset: 12, fontSize: 12, fill: 'var(--muted)', style: { textAnchor: 'middle' } }} />
          <Tooltip formatter={(v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          <ReferenceLine segment={[{ x: lo, y: lo }, { x: hi, y: hi }]} stroke="var(--muted)" strokeDasharray="4 3" />
          <Scatter data={points} fill={outputColor(index)} isAnimationActive={false} shape="circle" />
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function RegressionView({ results }: { results: RegressionResults }) {
  return (
    <div className="results">
      <p className="accuracy" data-testid="test-error">
        Test error on {results.count} samples:{' '}
        {results.outputs.map((o, i) => (
          <span key={o.name} data-testid={`test-mse-${o.name}`} data-mse={o.mse}>
            {i > 0 && '; '}
            <span style={{ color: outputColor(i) }}>{o.name}</span> mean squared error <strong>{o.mse.toFixed(4)}</strong> (mean absolute {o.mae.toFixed(4)})
          </span>
        ))}
      </p>
      <div className="scatters">
        {results.outputs.map((o, i) => (
          <Plot key={o.name} output={o} index={i} />
        ))}
      </div>
    </div>
  );
}
