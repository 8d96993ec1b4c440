import { add } from '../../src/ops/reference/add';
import { prepareAdd } from '../../src/gpu/kernels/add';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

for (const n of [1, 7, 256, 1000]) {
  gpuTest(`add n=${n}`, async (rt) => {
    const a = randomArray(n, 1);
    const b = randomArray(n, 2);
    const [ta, tb, out] = [rt.upload(a), rt.upload(b), rt.tensor([n])];
    const d = await prepareAdd(rt, ta, tb, out);
    rt.submit([d]);
    assertClose(await rt.read(out), add(a, b), { atol: 0, rtol: 0 }, 'add');
    rt.dispose(d);
    [ta, tb, out].forEach((t) => rt.release(t));
  });
}
