// The Keras loss and metric kernels against the CPU reference on odd sizes, and the WebGPU engine
// against the CPU engine (gradients and metric sums) for every loss on a small model.
import { prepareElementwiseLoss, type ElementwiseLoss } from '../../src/gpu/kernels/kerasLosses';
import { prepareCategoricalCrossentropy } from '../../src/gpu/kernels/losses';
import { isTargetMetric, prepareSparseTopK, prepareTargetMetric } from '../../src/gpu/kernels/kerasMetrics';
import type { LossOptions, MetricKind } from '../../src/ops/losses';
import { kerasLoss, smoothLabels, softmaxKlDivergence } from '../../src/ops/reference/kerasLosses';
import { categoricalCrossentropy } from '../../src/ops/reference/losses';
import { metricSum } from '../../src/ops/reference/kerasMetrics';
import { layers, sequential } from '../../src/model/index';
import type { OutputLoss } from '../../src/model/train/plan';
import { assertClose, randomArray, rng } from '../util/check';
import { gradientsAgree } from './compare';
import { gpuTest } from './harness';

const SIZES: [number, number][] = [[1, 1], [3, 10], [33, 17], [130, 7]];
const fwd = { atol: 1e-5, rtol: 1e-4 };
const WEIGHT = 0.7;

/** Targets and predictions in each loss's domain. */
function data(kind: ElementwiseLoss, opts: LossOptions, n: number, seed: number): [Float32Array, Float32Array] {
  const r = rng(seed);
  const binary = kind === 'hinge' || kind === 'binary_crossentropy';
  const target = Float32Array.from({ length: n }, () => (binary ? (r() < 0.5 ? 0 : 1) : kind === 'mean_absolute_percentage_error' ? 1 + r() : r()));
  const probability = (kind === 'binary_crossentropy' && !opts.fromLogits) || kind === 'kl_divergence' || kind === 'mean_squared_logarithmic_error';
  const pred = randomArray(n, seed + 1, probability ? 0.02 : -3, probability ? 0.98 : 3);
  return [pred, target];
}

const CASES: [ElementwiseLoss, LossOptions][] = [
  ['binary_crossentropy', { labelSmoothing: 0.2 }],
  ['binary_crossentropy', { fromLogits: true }],
  ['binary_crossentropy', { fromLogits: true, labelSmoothing: 0.1 }],
  ['mean_squared_error', {}],
  ['mean_absolute_error', {}],
  ['mean_absolute_percentage_error', {}],
  ['mean_squared_logarithmic_error', {}],
  ['huber', {}],
  ['huber', { delta: 0.4 }],
  ['log_cosh', {}],
  ['kl_divergence', {}],
  ['hinge', {}],
];

for (const [kind, opts] of CASES) {
  for (const [rows, cols] of SIZES) {
    for (const nonBinary of kind === 'hinge' ? [false, true] : [false]) {
      gpuTest(`keras loss ${kind} ${JSON.stringify(opts)}${nonBinary ? ' (non-binary labels)' : ''} [${rows},${cols}]`, async (rt) => {
        const [pred, target] = data(kind, opts, rows * cols, rows + cols);
        if (nonBinary) target[target.length - 1] = 0.5;
        const [tp, tt, flag] = [rt.upload(pred, [rows, cols]), rt.upload(target, [rows, cols]), rt.tensor([1])];
        const [loss, dp] = [rt.tensor([rows]), rt.tensor([rows, cols])];
        const ds = await prepareElementwiseLoss(rt, kind, tp, tt, kind === 'hinge' ? flag : tt, loss, dp, opts, WEIGHT);
        rt.submit(ds);
        const ref = kerasLoss(kind, Float64Array.from(pred), Float64Array.from(target), cols, opts, WEIGHT);
        assertClose(await rt.read(loss), ref.loss, fwd, 'loss');
        assertClose(await rt.read(dp), ref.grad, { atol: 1e-6, rtol: 1e-3 }, 'grad');
        ds.forEach((d) => rt.dispose(d));
        [tp, tt, flag, loss, dp].forEach((t) => rt.release(t));
      });
    }
  }
}

for (const [rows, cols] of SIZES) {
  for (const kl of [false, true]) {
    gpuTest(`keras loss categorical_ce ${kl ? 'as kl_divergence' : 'with label smoothing 0.15'} [${rows},${cols}]`, async (rt) => {
      const z = randomArray(rows * cols, rows * cols, -4, 4);
      const t = randomArray(rows * cols, 5, 0, 1);
      const [tz, tt] = [rt.upload(z, [rows, cols]), rt.upload(t, [rows, cols])];
      const [probs, loss, dz] = [rt.tensor([rows, cols]), rt.tensor([rows]), rt.tensor([rows, cols])];
      const d = await prepareCategoricalCrossentropy(rt, tz, tt, probs, loss, dz, WEIGHT, kl ? 0 : 0.15, kl);
      rt.submit([d]);
      const [z64, t64] = [Float64Array.from(z), Float64Array.from(t)];
      const ref = kl ? softmaxKlDivergence(z64, t64, cols, WEIGHT) : categoricalCrossentropy(z64, smoothLabels(t64, 0.15, 1 / cols), cols, WEIGHT);
      assertClose(await rt.read(loss), ref.loss, fwd, 'loss');
      assertClose(await rt.read(dz), ref.grad, { atol: 1e-7, rtol: 1e-4 }, 'grad');
      rt.dispose(d);
      [tz, tt, probs, loss, dz].forEach((x) => rt.release(x));
    });
  }
}

const METRICS: MetricKind[] = ['binary_accuracy', 'categorical_accuracy', 'top_k_categorical_accuracy', 'mean_absolute_error', 'mean_squared_error', 'sparse_top_k_categorical_accuracy'];
for (const kind of METRICS) {
  for (const [rows, cols] of [[1, 1], [3, 10], [33, 17], [700, 6]] as const) {
    gpuTest(`keras metric ${kind} [${rows},${cols}]`, async (rt) => {
      const r = rng(rows + cols);
      // Quantized predictions make ties (top-k counts them all in; argmax takes the first).
      const pred = Float32Array.from({ length: rows * cols }, () => Math.round(r() * 8) / 8);
      const sparse = !isTargetMetric(kind);
      const labels = Uint32Array.from({ length: rows }, () => Math.floor(r() * cols));
      const target = kind === 'mean_absolute_error' || kind === 'mean_squared_error' ? randomArray(rows * cols, 3) : Float32Array.from({ length: rows * cols }, () => (r() < 0.4 ? 1 : 0));
      const acc = rt.upload(Float32Array.from([0.5, 2]), [2]);
      const tp = rt.upload(pred, [rows, cols]);
      const tt = sparse ? rt.upload(labels, [rows]) : rt.upload(target, [rows, cols]);
      const d = isTargetMetric(kind) ? await prepareTargetMetric(rt, kind, tp, tt, acc, 1) : await prepareSparseTopK(rt, tp, tt, acc, 1);
      rt.submit([d]);
      const want = 2 + metricSum(kind, pred, sparse ? labels : target, cols);
      assertClose(await rt.read(acc), [0.5, want], { atol: 1e-4, rtol: 1e-5 }, kind);
      rt.dispose(d);
      [acc, tp, tt].forEach((x) => rt.release(x));
    });
  }
}

/** A small model: Dense(5, tanh) then Dense(3, activation). */
function net(activation: 'linear' | 'softmax' | 'sigmoid' | 'relu') {
  const m = sequential({ seed: 3 });
  m.add(layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }));
  m.add(layers.dense({ units: 3, activation }));
  return m;
}

const ENGINE_CASES: [OutputLoss, 'linear' | 'softmax' | 'sigmoid' | 'relu', 'labels' | 'unit' | 'binary'][] = [
  [{ kind: 'sparse_categorical_crossentropy', options: { fromLogits: true }, weight: 1, accuracy: false, metrics: ['accuracy', 'sparse_top_k_categorical_accuracy'] }, 'linear', 'labels'],
  [{ kind: 'categorical_crossentropy', options: { labelSmoothing: 0.2 }, weight: 1, accuracy: false, metrics: ['accuracy', 'top_k_categorical_accuracy'] }, 'softmax', 'unit'],
  [{ kind: 'kl_divergence', weight: 0.5, accuracy: false }, 'softmax', 'unit'],
  [{ kind: 'binary_crossentropy', options: { fromLogits: true, labelSmoothing: 0.1 }, weight: 1, accuracy: false, metrics: ['binary_accuracy'] }, 'linear', 'binary'],
  [{ kind: 'huber', options: { delta: 0.3 }, weight: 1, accuracy: false, metrics: ['mae', 'mse'] }, 'linear', 'unit'],
  [{ kind: 'mean_squared_logarithmic_error', weight: 1, accuracy: false }, 'relu', 'unit'],
  [{ kind: 'log_cosh', weight: 1, accuracy: false }, 'linear', 'unit'],
  [{ kind: 'mean_absolute_percentage_error', weight: 1, accuracy: false }, 'sigmoid', 'unit'],
  [{ kind: 'hinge', weight: 1, accuracy: false }, 'linear', 'binary'],
];

for (const [loss, activation, targets] of ENGINE_CASES) {
  gpuTest(`keras engine ${loss.kind} ${JSON.stringify(loss.options ?? {})}: WebGPU gradients and metrics equal the CPU's`, async () => {
    const n = 9;
    const r = rng(n);
    const y = targets === 'labels'
      ? { data: Uint32Array.from({ length: n }, () => Math.floor(r() * 3)), shape: [n] }
      : { data: Float32Array.from({ length: n * 3 }, () => (targets === 'binary' ? (r() < 0.5 ? 0 : 1) : 0.2 + 0.8 * r())), shape: [n, 3] };
    await gradientsAgree(net(activation), { inputs: [{ data: randomArray(n * 4, 2), shape: [n, 4] }], targets: [y] }, [loss], 7);
  });
}
