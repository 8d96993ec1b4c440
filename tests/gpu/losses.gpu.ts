import { binaryCrossentropy, categoricalCrossentropy, mae, mse, softmaxCrossEntropy } from '../../src/ops/reference/losses';
import {
  prepareCategoricalCrossentropy,
  prepareSoftmaxCrossEntropy,
  prepareTargetLoss,
  type TargetLoss,
} from '../../src/gpu/kernels/losses';
import { assertClose, randomArray, rng } from '../util/check';
import { gpuTest } from './harness';

const sizes: [number, number][] = [[1, 1], [3, 10], [33, 17], [130, 10]];
const fwd = { atol: 1e-5, rtol: 1e-4 };
const grad = { atol: 1e-7, rtol: 1e-4 };
const WEIGHT = 0.7;

function labelsFor(rows: number, cols: number, seed: number): Uint32Array {
  const r = rng(seed);
  return Uint32Array.from({ length: rows }, () => Math.floor(r() * cols));
}

for (const [rows, cols] of sizes) {
  for (const sparse of [true, false]) {
    gpuTest(`loss ${sparse ? 'softmaxCrossEntropy' : 'categoricalCrossentropy'} [${rows},${cols}]`, async (rt) => {
      const z = randomArray(rows * cols, rows * cols, -4, 4);
      const labels = labelsFor(rows, cols, rows + cols);
      const targets = randomArray(rows * cols, 5, 0, 1); // need not sum to 1
      const tz = rt.upload(z, [rows, cols]);
      const tlab = sparse ? rt.upload(labels, [rows]) : rt.upload(targets, [rows, cols]);
      const [probs, loss, dz] = [rt.tensor([rows, cols]), rt.tensor([rows]), rt.tensor([rows, cols])];
      const prepare = sparse ? prepareSoftmaxCrossEntropy : prepareCategoricalCrossentropy;
      const d = await prepare(rt, tz, tlab, probs, loss, dz, WEIGHT);
      rt.submit([d]);
      const z64 = Float64Array.from(z);
      const ref = sparse ? softmaxCrossEntropy(z64, labels, cols, WEIGHT) : categoricalCrossentropy(z64, targets, cols, WEIGHT);
      assertClose(await rt.read(probs), ref.probs, fwd, 'probs');
      assertClose(await rt.read(loss), ref.loss, fwd, 'loss');
      assertClose(await rt.read(dz), ref.grad, grad, 'grad');
      rt.dispose(d);
      [tz, tlab, probs, loss, dz].forEach((t) => rt.release(t));
    });
  }
}

const cpu = { mse, mae, binaryCrossentropy };
for (const kind of ['mse', 'mae', 'binaryCrossentropy'] as TargetLoss[]) {
  for (const [rows, cols] of sizes) {
    gpuTest(`loss ${kind} [${rows},${cols}]`, async (rt) => {
      const bce = kind === 'binaryCrossentropy';
      const n = rows * cols;
      const pred = randomArray(n, n + 1, bce ? 0.01 : -2, bce ? 0.99 : 2);
      const target = randomArray(n, n + 2, 0, 1);
      if (n > 3) {
        target[0] = pred[0]; // mae: sign(0) = 0
        if (bce) [pred[1], pred[2], pred[3]] = [0, 1, 1e-9]; // outside the clip: no gradient
      }
      const [tp, tt] = [rt.upload(pred, [rows, cols]), rt.upload(target, [rows, cols])];
      const [loss, dp] = [rt.tensor([rows]), rt.tensor([rows, cols])];
      const d = await prepareTargetLoss(rt, kind, tp, tt, loss, dp, WEIGHT);
      rt.submit([d]);
      const ref = cpu[kind](Float64Array.from(pred), Float64Array.from(target), cols, WEIGHT);
      assertClose(await rt.read(loss), ref.loss, fwd, 'loss');
      assertClose(await rt.read(dp), ref.grad, { ...grad, atol: bce ? 1e-5 : grad.atol }, 'grad');
      rt.dispose(d);
      [tp, tt, loss, dp].forEach((t) => rt.release(t));
    });
  }
}

gpuTest('loss softmaxCrossEntropy: an out-of-range label gives NaN', async (rt) => {
  const tz = rt.upload(Float32Array.from([1, 2, 3, 4]), [2, 2]);
  const tlab = rt.upload(Uint32Array.from([1, 2]), [2]);
  const [probs, loss, dz] = [rt.tensor([2, 2]), rt.tensor([2]), rt.tensor([2, 2])];
  const d = await prepareSoftmaxCrossEntropy(rt, tz, tlab, probs, loss, dz);
  rt.submit([d]);
  const got = await rt.read(loss);
  if (!Number.isFinite(got[0]) || !Number.isNaN(got[1])) throw new Error(`losses ${got[0]}, ${got[1]}: expected finite, NaN`);
  rt.dispose(d);
  [tz, tlab, probs, loss, dz].forEach((t) => rt.release(t));
});
