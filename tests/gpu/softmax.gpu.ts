import { softmax } from '../../src/ops/reference/softmax';
import { prepareSoftmax } from '../../src/gpu/kernels/softmax';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

// [rows, cols, logit range]: one element, odd sizes, large logits (stability), more rows than a workgroup.
const cases: [number, number, number][] = [
  [1, 1, 1],
  [3, 10, 4],
  [33, 17, 80],
  [130, 100, 3],
];

for (const [rows, cols, range] of cases) {
  gpuTest(`softmax [${rows},${cols}] logits in ±${range}`, async (rt) => {
    const x = randomArray(rows * cols, rows + cols, -range, range);
    const [tx, ty] = [rt.upload(x, [rows, cols]), rt.tensor([rows, cols])];
    const d = await prepareSoftmax(rt, tx, ty);
    rt.submit([d]);
    assertClose(await rt.read(ty), softmax(Float64Array.from(x), cols), { atol: 1e-6, rtol: 1e-4 }, 'softmax');
    rt.dispose(d);
    [tx, ty].forEach((t) => rt.release(t));
  });
}
