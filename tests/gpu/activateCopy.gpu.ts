import { ACTIVATION_CODES, activate, type ElementwiseActivation } from '../../src/ops/activations';
import { copyColumns } from '../../src/ops/reference/copyColumns';
import { prepareActivate } from '../../src/gpu/kernels/activate';
import { prepareCopyColumns } from '../../src/gpu/kernels/copyColumns';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

for (const kind of Object.keys(ACTIVATION_CODES) as ElementwiseActivation[]) {
  gpuTest(`activate ${kind}`, async (rt) => {
    const x = randomArray(1001, 5, -4, 4);
    const [tx, ty] = [rt.upload(x), rt.tensor([1001])];
    const d = await prepareActivate(rt, tx, ty, kind);
    rt.submit([d]);
    assertClose(await rt.read(ty), x.map((v) => activate(v, kind)), { atol: 2e-6, rtol: 1e-5 }, kind);
    rt.dispose(d);
    [tx, ty].forEach((t) => rt.release(t));
  });
}

gpuTest('copyColumns: concatenate [3,5] and [3,2] into [3,7], then split it back', async (rt) => {
  const a = randomArray(15, 1);
  const b = randomArray(6, 2);
  const [ta, tb, out, back] = [rt.upload(a), rt.upload(b), rt.tensor([3, 7]), rt.tensor([3, 2])];
  const da = await prepareCopyColumns(rt, ta, { rowLength: 5, column: 0 }, out, { rowLength: 7, column: 0 }, 3, 5);
  const db = await prepareCopyColumns(rt, tb, { rowLength: 2, column: 0 }, out, { rowLength: 7, column: 5 }, 3, 2);
  const split = await prepareCopyColumns(rt, out, { rowLength: 7, column: 5 }, back, { rowLength: 2, column: 0 }, 3, 2);
  rt.submit([da, db, split]);
  const expected = new Float32Array(21);
  copyColumns(a, { rowLength: 5, column: 0 }, expected, { rowLength: 7, column: 0 }, 3, 5);
  copyColumns(b, { rowLength: 2, column: 0 }, expected, { rowLength: 7, column: 5 }, 3, 2);
  assertClose(await rt.read(out), expected, { atol: 0, rtol: 0 }, 'concatenate');
  assertClose(await rt.read(back), b, { atol: 0, rtol: 0 }, 'split');
  [da, db, split].forEach((d) => rt.dispose(d));
  [ta, tb, out, back].forEach((t) => rt.release(t));
});
