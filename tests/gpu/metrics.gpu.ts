import { accumulateAccuracy, accumulateSum } from '../../src/ops/reference/metrics';
import { prepareAccumulateAccuracy, prepareAccumulateSum } from '../../src/gpu/kernels/metrics';
import { assertClose, randomArray, rng } from '../util/check';
import { gpuTest } from './harness';

for (const [rows, cols] of [[1, 1], [3, 10], [33, 17], [1000, 10]] as const) {
  gpuTest(`metrics accumulate loss sum and accuracy [${rows},${cols}] over 3 steps`, async (rt) => {
    const acc = rt.upload(Float32Array.from([0.5, -1, 2, 0]), [4]);
    const expected = Float32Array.from([0.5, -1, 2, 0]);
    const r = rng(rows);
    for (let step = 0; step < 3; step++) {
      const pred = randomArray(rows * cols, 100 * step + cols);
      if (cols > 2) pred[2] = pred[1] = 5; // a tie: the first max (class 1) wins
      const labels = Uint32Array.from({ length: rows }, (_, b) => (b % 2 ? Math.floor(r() * cols) : 1));
      const losses = randomArray(rows, step + 7, 0, 3);
      const [tp, tl, tloss] = [rt.upload(pred, [rows, cols]), rt.upload(labels, [rows]), rt.upload(losses, [rows])];
      const ds = [await prepareAccumulateSum(rt, tloss, acc, 1, 0.5), await prepareAccumulateAccuracy(rt, tp, tl, acc, 3)];
      rt.submit(ds);
      accumulateSum(expected, 1, losses, 0.5);
      accumulateAccuracy(expected, 3, pred, labels, cols);
      ds.forEach((d) => rt.dispose(d));
      [tp, tl, tloss].forEach((t) => rt.release(t));
    }
    const got = await rt.read(acc);
    assertClose(got, expected, { atol: 1e-4, rtol: 1e-5 }, 'acc');
    if (got[3] !== expected[3]) throw new Error(`accuracy count ${got[3]} is not exactly ${expected[3]}`);
    rt.release(acc);
  });
}
