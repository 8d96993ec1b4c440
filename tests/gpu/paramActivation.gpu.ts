import type { ParamActivation } from '../../src/ops/reference/paramActivation';
import { paramActivation, paramActivationGrad } from '../../src/ops/reference/paramActivation';
import { prepareParamActivation, prepareParamActivationGrad } from '../../src/gpu/kernels/paramActivation';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

const cases: ParamActivation[] = [
  { kind: 'relu', alpha: 0.3, maxValue: null, threshold: 0 },
  { kind: 'relu', alpha: 0.1, maxValue: 1.5, threshold: 0.2 },
  { kind: 'relu', alpha: 0, maxValue: 0, threshold: 0 },
  { kind: 'elu', alpha: 0.5, maxValue: null, threshold: 0 },
];

// Odd sizes leave a partial last workgroup; 70001 folds the grid into y on small limits.
for (const p of cases) {
  for (const n of [1, 1001, 70001]) {
    gpuTest(`param_activation ${p.kind} alpha=${p.alpha} max=${p.maxValue} threshold=${p.threshold} n=${n}`, async (rt) => {
      const x = randomArray(n, n, -3, 3);
      if (n > 3) [x[1], x[2], x[3]] = [0, p.threshold, p.maxValue ?? 1]; // kinks: the reference's sides
      const dy = randomArray(n, n + 1);
      const [tx, ty, tdy, tdx] = [rt.upload(x), rt.tensor([n]), rt.upload(dy), rt.tensor([n])];
      const fwd = await prepareParamActivation(rt, tx, ty, p);
      const bwd = await prepareParamActivationGrad(rt, tdy, tx, tdx, p);
      rt.submit([fwd, bwd]);
      assertClose(await rt.read(ty), paramActivation(Float64Array.from(x), p), { atol: 1e-6, rtol: 1e-5 }, 'y');
      assertClose(await rt.read(tdx), paramActivationGrad(Float64Array.from(dy), Float64Array.from(x), p), { atol: 1e-6, rtol: 1e-5 }, 'dx');
      [fwd, bwd].forEach((d) => rt.dispose(d));
      [tx, ty, tdy, tdx].forEach((t) => rt.release(t));
    });
  }
}
