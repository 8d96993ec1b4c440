import { softmax, softmaxGrad } from '../../src/ops/reference/softmax';
import { prepareSoftmaxGrad } from '../../src/gpu/kernels/softmaxGrad';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

// Odd sizes: one row of one, a partial last workgroup, 1000-wide rows, rows folded into y.
for (const [rows, cols] of [[1, 1], [3, 7], [65, 10], [5, 1000], [70001, 3]]) {
  gpuTest(`softmax.backward rows=${rows} cols=${cols}`, async (rt) => {
    const y = softmax(randomArray(rows * cols, rows + cols, -3, 3), cols);
    const dy = randomArray(rows * cols, rows * cols, -1, 1);
    const [tdy, ty, tdx] = [rt.upload(dy, [rows, cols]), rt.upload(y, [rows, cols]), rt.tensor([rows, cols])];
    const d = await prepareSoftmaxGrad(rt, tdy, ty, tdx);
    rt.submit([d]);
    const expected = softmaxGrad(Float64Array.from(dy), Float64Array.from(y), cols);
    assertClose(await rt.read(tdx), expected, { atol: 1e-6, rtol: 1e-4 }, 'dx');
    rt.dispose(d);
    [tdy, ty, tdx].forEach((t) => rt.release(t));
  });
}
