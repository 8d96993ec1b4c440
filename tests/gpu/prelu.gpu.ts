import { prelu, preluGradAlpha, preluGradInput, type PreluGeometry } from '../../src/ops/reference/prelu';
import { preparePrelu, preparePreluGradAlpha, preparePreluGradInput } from '../../src/gpu/kernels/prelu';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

// [batch, geometry, alpha size]: dense features, an image with one alpha per channel, shared
// middle axis, and sizes past a workgroup in both passes.
const cases: [number, PreluGeometry, number][] = [
  [1, { features: [1], alphaStrides: [1] }, 1],
  [3, { features: [7], alphaStrides: [1] }, 7],
  [5, { features: [5, 6, 3], alphaStrides: [0, 0, 1] }, 3],
  [2, { features: [3, 5, 7], alphaStrides: [7, 0, 1] }, 21],
  [9, { features: [17, 19], alphaStrides: [19, 1] }, 323],
  [33, { features: [31, 33], alphaStrides: [0, 1] }, 33],
];

for (const [batch, g, alphaSize] of cases) {
  gpuTest(`prelu batch=${batch} features=[${g.features}] strides=[${g.alphaStrides}]`, async (rt) => {
    const n = batch * g.features.reduce((a, d) => a * d, 1);
    const x = randomArray(n, n, -2, 2);
    const alpha = randomArray(alphaSize, alphaSize + 1);
    const dy = randomArray(n, n + 2);
    const [tx, ta, ty, tdy, tdx, tda] = [rt.upload(x), rt.upload(alpha), rt.tensor([n]), rt.upload(dy), rt.tensor([n]), rt.tensor([alphaSize])];
    const ds = [
      await preparePrelu(rt, tx, ta, ty, g),
      await preparePreluGradInput(rt, tdy, tx, ta, tdx, g),
      await preparePreluGradAlpha(rt, tdy, tx, tda, g),
    ];
    rt.submit(ds);
    const [x64, a64, dy64] = [x, alpha, dy].map((v) => Float64Array.from(v));
    assertClose(await rt.read(ty), prelu(x64, a64, g), { atol: 1e-6, rtol: 1e-5 }, 'y');
    assertClose(await rt.read(tdx), preluGradInput(dy64, x64, a64, g), { atol: 1e-6, rtol: 1e-5 }, 'dx');
    // Sums of up to ~1000 terms in float32.
    assertClose(await rt.read(tda), preluGradAlpha(dy64, x64, alphaSize, g), { atol: 1e-4, rtol: 1e-4 }, 'dalpha');
    ds.forEach((d) => rt.dispose(d));
    [tx, ta, ty, tdy, tdx, tda].forEach((t) => rt.release(t));
  });
}
