import { biasGrad } from '../../src/ops/reference/biasGrad';
import { prepareBiasGrad } from '../../src/gpu/kernels/biasGrad';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

// [shape of dy, why]: single elements, odd channel counts, several column blocks (C > 256),
// several passes (many rows), the seed CNN's conv bias (256 x 28 x 28 x 32) and Dense bias.
const cases: [number[], string][] = [
  [[1, 1], 'one element'],
  [[3, 17], 'odd channels'],
  [[3, 5, 7, 3], 'NHWC 5x7 images, 3 channels'],
  [[1000, 300], 'two column blocks'],
  [[33, 1], 'one channel, 33 rows'],
  [[70001, 3], 'two passes'],
  [[5000, 257], 'three passes, two column blocks'],
  [[32, 100], 'Dense 100'],
  [[256, 28, 28, 32], 'conv bias of the seed CNN'],
];

for (const [shape, why] of cases) {
  gpuTest(`biasGrad ${JSON.stringify(shape)} (${why})`, async (rt) => {
    const c = shape[shape.length - 1];
    const n = shape.reduce((a, b) => a * b, 1);
    const dy = randomArray(n, n + c, -1, 1.5); // mean != 0, so the sums are not near zero
    const [tdy, tdb] = [rt.upload(dy, shape), rt.tensor([c])];
    const passes = await prepareBiasGrad(rt, tdy, tdb);
    rt.submit(passes.dispatches);
    const expected = biasGrad(Float64Array.from(dy), c);
    const rows = n / c;
    assertClose(await rt.read(tdb), expected, { atol: 1e-5 * Math.sqrt(rows), rtol: 1e-5 }, 'db');
    passes.dispose();
    [tdy, tdb].forEach((t) => rt.release(t));
  });
}
