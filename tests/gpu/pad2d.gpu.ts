import { pad2d, pad2dAdjoint, type Pad2D } from '../../src/ops/reference/pad2d';
import { preparePad2d } from '../../src/gpu/kernels/pad2d';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

// Padding (positive shifts), cropping (negative) and a padding's adjoint, on odd sizes.
const cases: Pad2D[] = [
  { xShape: [3, 5, 7, 3], outH: 8, outW: 8, top: 1, left: 0 },
  { xShape: [2, 9, 11, 5], outH: 4, outW: 7, top: -2, left: -3 },
  pad2dAdjoint({ xShape: [2, 3, 5, 1], outH: 7, outW: 9, top: 3, left: 2 }),
];
for (const p of cases) {
  gpuTest(`pad2d x [${p.xShape}] -> ${p.outH}x${p.outW} shifted (${p.top}, ${p.left}) = reference`, async (rt) => {
    const [n, , , c] = p.xShape;
    const x = randomArray(p.xShape.reduce((a, d) => a * d, 1), 11);
    const [tx, ty] = [rt.upload(x, [...p.xShape]), rt.tensor([n, p.outH, p.outW, c])];
    const d = await preparePad2d(rt, tx, ty, p);
    rt.submit([d]);
    assertClose(await rt.read(ty), pad2d(x, p), { atol: 0, rtol: 0 }, 'pad2d');
    rt.dispose(d);
    [tx, ty].forEach((t) => rt.release(t));
  });
}
