import { ACTIVATION_CODES, gradFromInput, type ElementwiseActivation } from '../../src/ops/activations';
import { activation, activationGrad } from '../../src/ops/reference/activation';
import { prepareActivationGrad } from '../../src/gpu/kernels/activationGrad';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

for (const kind of Object.keys(ACTIVATION_CODES) as ElementwiseActivation[]) {
  for (const n of [1, 1001, 1000, 70_000]) {
    gpuTest(`activation.grad ${kind} n=${n}`, async (rt) => {
      const x = randomArray(n, n, -3, 3);
      if (n > 1) x[1] = 0; // relu'(0) = 0 is part of the contract
      // gelu and silu differentiate from their input: the kernel's y operand holds x.
      const y = gradFromInput(kind) ? x : activation(x, kind);
      const dy = randomArray(n, n + 1, -1, 2);
      const [tdy, ty, tdx] = [rt.upload(dy), rt.upload(y), rt.tensor([n])];
      const d = await prepareActivationGrad(rt, tdy, ty, tdx, kind);
      rt.submit([d]);
      const expected = activationGrad(Float64Array.from(dy), Float64Array.from(y), kind);
      assertClose(await rt.read(tdx), expected, { atol: 2e-6, rtol: 1e-5 }, `dx ${kind}`);
      rt.dispose(d);
      [tdy, ty, tdx].forEach((t) => rt.release(t));
    });
  }
}
