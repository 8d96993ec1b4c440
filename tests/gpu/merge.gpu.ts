import { merge, mergeGrad, type MergeKind } from '../../src/ops/reference/merge';
import { prepareMerge, prepareMergeGrad } from '../../src/gpu/kernels/merge';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

const exact = { atol: 0, rtol: 0 };

/** Random values on a coarse grid, so a and b tie often (the gradient's 1/2 case). */
function coarse(n: number, seed: number): Float32Array {
  return randomArray(n, seed).map((v) => Math.round(v * 4) / 4);
}

for (const n of [1, 7, 1001, 70001]) {
  for (const kind of ['subtract', 'multiply', 'maximum', 'minimum'] as MergeKind[]) {
    gpuTest(`merge ${kind} n=${n} = reference`, async (rt) => {
      const [a, b] = [coarse(n, 1), coarse(n, 2)];
      const [ta, tb, ty] = [rt.upload(a), rt.upload(b), rt.tensor([n])];
      const d = await prepareMerge(rt, ta, tb, ty, kind);
      rt.submit([d]);
      assertClose(await rt.read(ty), merge(a, b, kind), exact, `merge ${kind}`);
      rt.dispose(d);
      [ta, tb, ty].forEach((t) => rt.release(t));
    });
  }
  for (const kind of ['maximum', 'minimum'] as const) {
    gpuTest(`merge ${kind} gradient n=${n} (ties half each) = reference`, async (rt) => {
      const [dy, a, b] = [randomArray(n, 3), coarse(n, 4), coarse(n, 5)];
      const [tdy, ta, tb, tdx] = [rt.upload(dy), rt.upload(a), rt.upload(b), rt.tensor([n])];
      const d = await prepareMergeGrad(rt, tdy, ta, tb, tdx, kind);
      rt.submit([d]);
      assertClose(await rt.read(tdx), mergeGrad(dy, a, b, kind), exact, `merge ${kind} gradient`);
      rt.dispose(d);
      [tdy, ta, tb, tdx].forEach((t) => rt.release(t));
    });
  }
}
