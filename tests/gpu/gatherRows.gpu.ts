import { gatherRows } from '../../src/ops/reference/gatherRows';
import { prepareGatherRows } from '../../src/gpu/kernels/gatherRows';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

gpuTest('gather.rows float32 rows [7, 5] by out-of-order indices, one past the end', async (rt) => {
  const data = randomArray(35, 3);
  const index = Uint32Array.of(6, 0, 3, 7, 6);
  const [td, ti, out] = [rt.upload(data, [7, 5]), rt.upload(index), rt.tensor([5, 5])];
  const d = await prepareGatherRows(rt, td, ti, out, 7);
  rt.submit([d]);
  assertClose(await rt.read(out), gatherRows(data, 5, index), { atol: 0, rtol: 0 }, 'rows');
  rt.dispose(d);
  [td, ti, out].forEach((t) => rt.release(t));
});

gpuTest('gather.rows uint32 labels', async (rt) => {
  const labels = Uint32Array.of(9, 2, 1, 1, 0, 7);
  const index = Uint32Array.of(5, 1, 0);
  const [td, ti, out] = [rt.upload(labels), rt.upload(index), rt.tensor([3], 'uint32')];
  const d = await prepareGatherRows(rt, td, ti, out, 6);
  rt.submit([d]);
  assertClose(await rt.read(out as typeof out & { dtype: 'uint32' }), [7, 2, 9], { atol: 0, rtol: 0 }, 'labels');
  rt.dispose(d);
  [td, ti, out].forEach((t) => rt.release(t));
});
