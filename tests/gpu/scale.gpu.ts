import { scale } from '../../src/ops/reference/scale';
import { prepareScale } from '../../src/gpu/kernels/scale';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

// Odd sizes leave a partial last workgroup; 70000 folds the grid into y on small limits.
for (const [n, factor, offset] of [[1, 2, 0], [7, 1 / 255, 0], [1000, 0.5, -1], [70001, -3, 0.25]]) {
  gpuTest(`scale n=${n} scale=${factor.toFixed(4)} offset=${offset}`, async (rt) => {
    const x = randomArray(n, 3);
    const [tx, out] = [rt.upload(x), rt.tensor([n])];
    const d = await prepareScale(rt, tx, out, factor, offset);
    rt.submit([d]);
    // A shader compiler may fuse the multiply-add, so one rounding may differ from the reference.
    assertClose(await rt.read(out), scale(x, factor, offset), { atol: 1e-6, rtol: 1e-6 }, 'scale');
    rt.dispose(d);
    [tx, out].forEach((t) => rt.release(t));
  });
}
