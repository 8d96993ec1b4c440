// Every loss and metric through the CPU engine: evaluate's loss and metric logs equal the
// reference ops on the model's own predictions (names as Keras logs them), backward matches
// finite differences end to end, and regression models with mse and huber train.
import { describe, expect, it } from 'vitest';
import { layers, sequential, type Sequential } from '../index';
import { kerasLoss, probabilityCrossentropy } from '../../ops/reference/kerasLosses';
import { metricSum } from '../../ops/reference/kerasMetrics';
import type { LossKind, LossOptions, MetricKind } from '../../ops/losses';
import { CpuEngine } from './cpuEngine';
import { referenceOps } from './cpuOps';
import type { HostTensor } from './engine';
import type { LossArg } from './lossConfig';
import { randomArray, rng } from '../../../tests/util/check';
import { checkGradients } from '../../../tests/util/gradcheck';

type Activation = 'linear' | 'softmax' | 'sigmoid' | 'relu';
type Targets = 'labels' | 'onehot' | 'binary' | 'real' | 'positive' | 'away' | 'probs' | 'signed';

interface Case {
  loss: LossArg;
  kind: LossKind;
  options?: LossOptions;
  activation: Activation;
  targets: Targets;
  metrics?: string[];
}

const N = 6;
const COLS = 3;
const CASES: Case[] = [
  { loss: 'sparse_categorical_crossentropy', kind: 'sparse_categorical_crossentropy', activation: 'softmax', targets: 'labels', metrics: ['accuracy', 'sparse_top_k_categorical_accuracy'] },
  { loss: { className: 'SparseCategoricalCrossentropy', config: { from_logits: true } }, kind: 'sparse_categorical_crossentropy', options: { fromLogits: true }, activation: 'linear', targets: 'labels', metrics: ['sparse_categorical_accuracy'] },
  { loss: 'categorical_crossentropy', kind: 'categorical_crossentropy', activation: 'softmax', targets: 'onehot', metrics: ['accuracy', 'top_k_categorical_accuracy'] },
  { loss: { className: 'CategoricalCrossentropy', config: { label_smoothing: 0.2 } }, kind: 'categorical_crossentropy', options: { labelSmoothing: 0.2 }, activation: 'softmax', targets: 'onehot', metrics: ['categorical_accuracy'] },
  { loss: { className: 'CategoricalCrossentropy', config: { from_logits: true, label_smoothing: 0.1 } }, kind: 'categorical_crossentropy', options: { fromLogits: true, labelSmoothing: 0.1 }, activation: 'linear', targets: 'onehot' },
  { loss: 'binary_crossentropy', kind: 'binary_crossentropy', activation: 'sigmoid', targets: 'binary', metrics: ['accuracy', 'binary_accuracy'] },
  { loss: { className: 'BinaryCrossentropy', config: { from_logits: true, label_smoothing: 0.1 } }, kind: 'binary_crossentropy', options: { fromLogits: true, labelSmoothing: 0.1 }, activation: 'linear', targets: 'binary' },
  { loss: 'mse', kind: 'mean_squared_error', activation: 'linear', targets: 'real', metrics: ['mae', 'mse'] },
  { loss: 'mae', kind: 'mean_absolute_error', activation: 'linear', targets: 'real', metrics: ['mean_squared_error'] },
  { loss: 'mape', kind: 'mean_absolute_percentage_error', activation: 'linear', targets: 'away' },
  { loss: 'kld', kind: 'kl_divergence', activation: 'sigmoid', targets: 'probs' },
  { loss: 'msle', kind: 'mean_squared_logarithmic_error', activation: 'relu', targets: 'positive' },
  { loss: 'huber', kind: 'huber', activation: 'linear', targets: 'real' },
  { loss: { className: 'Huber', config: { delta: 0.3 } }, kind: 'huber', options: { delta: 0.3 }, activation: 'linear', targets: 'real' },
  { loss: 'log_cosh', kind: 'log_cosh', activation: 'linear', targets: 'real' },
  { loss: 'kld', kind: 'kl_divergence', activation: 'softmax', targets: 'probs' },
  { loss: 'hinge', kind: 'hinge', activation: 'linear', targets: 'binary' },
  { loss: 'hinge', kind: 'hinge', activation: 'linear', targets: 'signed' },
];

function targetsOf(kind: Targets, n: number, cols: number, seed: number): HostTensor {
  const r = rng(seed);
  if (kind === 'labels') return { data: Uint32Array.from({ length: n }, () => Math.floor(r() * cols)), shape: [n] };
  const t = new Float32Array(n * cols);
  for (let b = 0; b < n; b++) {
    const hot = Math.floor(r() * cols);
    let s = 0;
    for (let k = 0; k < cols; k++) {
      const i = b * cols + k;
      const u = r();
      t[i] = { onehot: k === hot ? 1 : 0, binary: u < 0.5 ? 0 : 1, signed: u < 0.5 ? -1 : 1, real: 4 * u - 2, positive: 3 * u, away: 1 + 2 * u, probs: 0.1 + u }[kind];
      s += t[i];
    }
    if (kind === 'probs') for (let k = 0; k < cols; k++) t[b * cols + k] /= s;
  }
  return { data: t, shape: [n, cols] };
}

function net(activation: Activation): Sequential {
  const m = sequential({ seed: 3 });
  m.add(layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }));
  m.add(layers.dense({ units: COLS, activation }));
  return m;
}

const x: HostTensor = { data: randomArray(N * 4, 1, -1, 1), shape: [N, 4] };
const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

/** The loss Keras computes on the model's output (probabilities for a fused softmax). */
function expectedLoss(c: Case, y: Float64Array, t: HostTensor): number {
  const target = t.data instanceof Uint32Array ? t.data : Float64Array.from(t.data);
  const crossEntropy = c.kind === 'categorical_crossentropy' || c.kind === 'sparse_categorical_crossentropy';
  if (crossEntropy && !c.options?.fromLogits) {
    const dense = c.kind === 'sparse_categorical_crossentropy' ? kerasOneHot(target as Uint32Array) : (target as Float64Array);
    const s = c.options?.labelSmoothing ?? 0;
    return mean(probabilityCrossentropy(y, dense.map((v) => v * (1 - s) + s / COLS), COLS).loss);
  }
  return mean(kerasLoss(c.kind, y, target, COLS, c.options).loss);
}

function kerasOneHot(labels: Uint32Array): Float64Array {
  const t = new Float64Array(labels.length * COLS);
  labels.forEach((l, b) => (t[b * COLS + l] = 1));
  return t;
}

const METRIC_KIND: Record<string, (sparse: boolean) => MetricKind> = {
  accuracy: (sparse) => (sparse ? 'sparse_categorical_accuracy' : 'categorical_accuracy'),
  sparse_categorical_accuracy: () => 'sparse_categorical_accuracy',
  sparse_top_k_categorical_accuracy: () => 'sparse_top_k_categorical_accuracy',
  categorical_accuracy: () => 'categorical_accuracy',
  top_k_categorical_accuracy: () => 'top_k_categorical_accuracy',
  binary_accuracy: () => 'binary_accuracy',
  mae: () => 'mean_absolute_error',
  mse: () => 'mean_squared_error',
  mean_squared_error: () => 'mean_squared_error',
};

describe('every loss and metric on the CPU engine', () => {
  CASES.forEach((c, n) => {
    const label = `${JSON.stringify(c.loss)} on ${c.activation} outputs, ${c.targets} targets`;
    it(`${label}: evaluate logs Keras's loss and metrics`, async () => {
      const m = net(c.activation);
      const y = targetsOf(c.targets, N, COLS, 10 + n);
      await m.compile({ ...{ optimizer: 'sgd', loss: c.loss, metrics: c.metrics ?? [] }, engine: new CpuEngine(referenceOps) });
      const logs = await m.evaluate(x, y);
      const out = Float64Array.from((await m.predict(x))[0]);
      const want = expectedLoss(c, out, y);
      expect(Math.abs(logs.loss - want)).toBeLessThan(1e-5 * (1 + Math.abs(want)));
      for (const name of c.metrics ?? []) {
        // 'accuracy' on one sigmoid column per class is still categorical here (3 columns).
        const kind = c.kind === 'binary_crossentropy' && name === 'accuracy' ? 'categorical_accuracy' : METRIC_KIND[name](y.data instanceof Uint32Array);
        const target = y.data instanceof Uint32Array ? y.data : Float64Array.from(y.data);
        expect(logs[name], name).toBeCloseTo(metricSum(kind, out, target, COLS) / N, 6);
      }
      expect(Object.keys(logs).sort()).toEqual(['loss', ...(c.metrics ?? [])].sort());
    });

    it(`${label}: backward matches finite differences`, async () => {
      const m = net(c.activation);
      const y = targetsOf(c.targets, N, COLS, 10 + n);
      await checkGradients(m, { inputs: [x], targets: [y] }, [{ kind: c.kind, options: c.options, weight: 0.8, accuracy: false }], 10);
    });
  });

  it("'accuracy' on a single sigmoid output is binary accuracy, as in Keras", async () => {
    const m = sequential({ seed: 2 });
    m.add(layers.dense({ units: 1, activation: 'sigmoid', inputShape: [4] }));
    const y = targetsOf('binary', N, 1, 5);
    await m.compile({ ...{ loss: 'binary_crossentropy', metrics: ['accuracy'] }, engine: new CpuEngine(referenceOps) });
    const logs = await m.evaluate(x, y);
    const out = Float64Array.from((await m.predict(x))[0]);
    expect(logs.accuracy).toBeCloseTo(metricSum('binary_accuracy', out, Float64Array.from(y.data), 1) / N, 6);
  });

  for (const loss of ['mse', { className: 'Huber', config: { delta: 0.5 } }] as const) {
    it(`a regression model trains with ${JSON.stringify(loss)}`, async () => {
      const r = rng(4);
      const n = 128;
      const xs = Float32Array.from({ length: n * 2 }, () => 2 * r() - 1);
      const ys = Float32Array.from({ length: n }, (_, i) => 1.5 * xs[2 * i] - 0.5 * xs[2 * i + 1] + 0.3);
      const m = sequential({ seed: 1 });
      m.add(layers.dense({ units: 8, activation: 'relu', inputShape: [2] }));
      m.add(layers.dense({ units: 1 }));
      await m.compile({ ...{ optimizer: { kind: 'adam', learningRate: 0.02 }, loss: loss as LossArg, metrics: ['mae'] }, engine: new CpuEngine() });
      const h = await m.fit({ data: xs, shape: [n, 2] }, { data: ys, shape: [n, 1] }, { epochs: 20, batchSize: 16 });
      expect(h.history.loss[19]).toBeLessThan(h.history.loss[0] / 5);
      expect(h.history.mae[19]).toBeLessThan(0.2);
    });
  }

  it('refuses metrics that need other targets and cross-entropies on the wrong output, naming the fix', async () => {
    const m = net('softmax');
    await expect(m.compile({ ...{ loss: 'mse', metrics: ['sparse_categorical_accuracy'] }, engine: new CpuEngine() })).rejects.toThrow(/needs integer labels/);
    await expect(m.compile({ ...{ loss: 'mse', metrics: ['f1'] }, engine: new CpuEngine() })).rejects.toThrow(/unknown metric "f1"/);
    const opts = { className: 'CategoricalCrossentropy', config: { from_logits: true } };
    await expect(m.compile({ ...{ loss: opts }, engine: new CpuEngine() })).rejects.toThrow(/from_logits=True reads logits.*activation 'linear'/);
    await expect(net('linear').compile({ ...{ loss: 'categorical_crossentropy' }, engine: new CpuEngine() })).rejects.toThrow(/from_logits=True on a linear output/);
  });
});
