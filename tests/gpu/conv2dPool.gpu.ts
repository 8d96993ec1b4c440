// The inference kernel that fuses a conv2d with the 2x2 max pool after it, against the CPU
// reference conv followed by the reference pool, on odd shapes (odd sizes drop the last row/column).
import type { ElementwiseActivation } from '../../src/ops/activations';
import { conv2dForward } from '../../src/ops/reference/conv2d';
import { maxPool2dForward } from '../../src/ops/reference/maxPool2d';
import { conv2dGeometry, geometry2D, type Padding } from '../../src/ops/shapes';
import { prepareConv2dMaxPool } from '../../src/gpu/kernels/conv2dPool';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

interface Case {
  x: [number, number, number, number];
  k: [number, number, number, number];
  strides: [number, number];
  padding: Padding;
  activation: ElementwiseActivation;
  bias: boolean;
}

const cases: Case[] = [
  { x: [3, 28, 28, 1], k: [3, 3, 1, 32], strides: [1, 1], padding: 'same', activation: 'relu', bias: true },
  { x: [3, 7, 9, 3], k: [3, 2, 3, 8], strides: [1, 1], padding: 'valid', activation: 'tanh', bias: false },
  { x: [2, 11, 7, 5], k: [3, 3, 5, 16], strides: [2, 1], padding: 'same', activation: 'sigmoid', bias: true },
  { x: [1, 5, 5, 12], k: [1, 1, 12, 24], strides: [1, 1], padding: 'valid', activation: 'linear', bias: true },
];

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

for (const [i, c] of cases.entries()) {
  gpuTest(`conv2d.forward_pool x[${c.x}] k[${c.k}] ${c.padding} s${c.strides} ${c.activation}${c.bias ? ' +bias' : ''}`, async (rt) => {
    const g = conv2dGeometry(c.x, c.k, { strides: c.strides, padding: c.padding });
    const [x, k] = [randomArray(size(c.x), 40 + i), randomArray(size(c.k), 50 + i)];
    const b = c.bias ? randomArray(c.k[3], 60 + i) : null;
    const conv = conv2dForward(x, k, b, g, c.k[2], c.k[3], c.activation);
    const pool = geometry2D([g.batch, g.outH, g.outW, c.k[3]], { kernel: [2, 2], strides: [2, 2], padding: 'valid' });
    const expected = maxPool2dForward(conv, pool, c.k[3]).y;
    const [tx, tk, tb] = [rt.upload(x, c.x), rt.upload(k, c.k), b ? rt.upload(b) : null];
    const y = rt.tensor([g.batch, pool.outH, pool.outW, c.k[3]]);
    const d = await prepareConv2dMaxPool(rt, tx, tk, tb, y, g, c.activation);
    rt.submit([d]);
    rt.dispose(d);
    assertClose(await rt.read(y), expected, { atol: 1e-5, rtol: 1e-4 }, 'y');
    for (const t of [tx, tk, tb, y]) if (t) rt.release(t);
  });
}
