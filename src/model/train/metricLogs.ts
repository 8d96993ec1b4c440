// Keras-style logs from an engine's metric sums: the weighted total loss first, then each
// output's loss (multi-output models), then the metrics by the names they were asked by, all as means over the samples.
import type { Logs } from './callbacks';
import type { OutputLoss } from './plan';
import type { Program } from './program';

export function metricLogs(metrics: Program['metrics'], losses: OutputLoss[], sums: Float64Array, prefix = ''): Logs {
  const n = sums[metrics.samplesSlot] || 1;
  const outs = metrics.outputs;
  // Engines sum over rows; an output with several rows per sample (a sequence) averages over all rows, as Keras does.
  const means = outs.map((o) => sums[o.lossSlot] / n / o.rowsPerSample);
  // Keras 3's loss is the weighted output losses plus the regularizers' penalties.
  const penalties = metrics.regularizationSlot === null ? 0 : sums[metrics.regularizationSlot] / n;
  const logs: Logs = { [`${prefix}loss`]: means.reduce((t, l, i) => t + l * losses[i].weight, penalties) };
  if (outs.length > 1) outs.forEach((o, i) => (logs[`${prefix}${o.name}_loss`] = means[i]));
  outs.forEach((o) => {
    for (const m of o.metrics) logs[`${prefix}${outs.length > 1 ? `${o.name}_` : ''}${m.name}`] = sums[m.slot] / n / o.rowsPerSample;
  });
  return logs;
}
