import { transpose, transposedShape } from '../../src/ops/reference/transpose';
import { prepareTranspose } from '../../src/gpu/kernels/transpose';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

// Odd sizes leave a partial last workgroup; rank 8 fills the uniform arrays.
for (const [shape, perm] of [
  [[3, 5], [1, 0]],
  [[3, 7, 5, 2], [0, 2, 3, 1]],
  [[2, 3, 5, 7], [0, 3, 1, 2]],
  [[1, 2, 3, 1, 2, 3, 1, 2], [7, 6, 5, 4, 3, 2, 1, 0]],
  [[5, 33, 17, 9], [0, 2, 1, 3]],
] as const) {
  gpuTest(`transpose [${shape}] by [${perm}] = reference`, async (rt) => {
    const n = shape.reduce((a: number, d: number) => a * d, 1);
    const x = randomArray(n, n);
    const [tx, ty] = [rt.upload(x, [...shape]), rt.tensor(transposedShape(shape, perm))];
    const d = await prepareTranspose(rt, tx, ty, shape, perm);
    rt.submit([d]);
    assertClose(await rt.read(ty), transpose(x, shape, perm), { atol: 0, rtol: 0 }, 'transpose');
    rt.dispose(d);
    [tx, ty].forEach((t) => rt.release(t));
  });
}
