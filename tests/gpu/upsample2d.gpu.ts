import { upsample2d } from '../../src/ops/reference/upsample2d';
import { prepareUpsample2d } from '../../src/gpu/kernels/upsample2d';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

for (const [shape, size] of [
  [[1, 1, 1, 1], [2, 2]],
  [[3, 5, 7, 3], [2, 3]],
  [[2, 13, 9, 5], [3, 1]],
] as const) {
  gpuTest(`upsample2d [${shape}] by [${size}] = reference`, async (rt) => {
    const [n, h, w, c] = shape;
    const x = randomArray(n * h * w * c, 12);
    const [tx, ty] = [rt.upload(x, [...shape]), rt.tensor([n, h * size[0], w * size[1], c])];
    const d = await prepareUpsample2d(rt, tx, ty, shape, size);
    rt.submit([d]);
    assertClose(await rt.read(ty), upsample2d(x, shape, size), { atol: 0, rtol: 0 }, 'upsample2d');
    rt.dispose(d);
    [tx, ty].forEach((t) => rt.release(t));
  });
}
