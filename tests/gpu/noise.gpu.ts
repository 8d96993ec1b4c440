import { noise, type NoiseKind } from '../../src/ops/reference/noise';
import { prepareNoise } from '../../src/gpu/kernels/noise';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

// The same (seed, step) draws on both sides: the spatial mask bit for bit; the Gaussian draws to
// float32 rounding of a division and a square root (the logarithm is arithmetic of its own).
const cases: [NoiseKind, number, [number, number]][] = [
  ['spatialDropout', 0.3, [7 * 5 * 3, 3]],
  ['spatialDropout', 0.5, [1, 1]],
  ['gaussianDropout', 0.2, [13, 13]],
  ['gaussianNoise', 0.5, [9, 3]],
];
for (const [kind, amount, [perSample, channels]] of cases) {
  for (const samples of [1, 7, 301]) {
    gpuTest(`noise ${kind} amount=${amount} ${samples} samples of ${perSample} = reference`, async (rt) => {
      const n = samples * perSample;
      const x = randomArray(n, 6, 0.5, 2);
      const p = { kind, amount, seed: 0xfffffff0 - samples, channels, perSample };
      const [tx, counter, ty] = [rt.upload(x), rt.upload(new Uint32Array([samples * 31])), rt.tensor([n])];
      const d = await prepareNoise(rt, tx, counter, ty, p);
      rt.submit([d]);
      const tol = kind === 'spatialDropout' ? { atol: 0, rtol: 0 } : { atol: 1e-6, rtol: 1e-5 };
      assertClose(await rt.read(ty), noise(x, { ...p, step: samples * 31 }), tol, `noise ${kind}`);
      rt.dispose(d);
      [tx, counter, ty].forEach((t) => rt.release(t));
    });
  }
}
