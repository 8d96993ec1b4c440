import { biasGrad } from '../../src/ops/reference/biasGrad';
import type { ElementwiseActivation } from '../../src/ops/activations';
import { conv2dForward, conv2dGradFilter, conv2dGradInput } from '../../src/ops/reference/conv2d';
import { conv2dGeometry, type Geometry2D, type Window2D } from '../../src/ops/shapes';
import { prepareBiasGrad } from '../../src/gpu/kernels/biasGrad';
import { prepareConv2d } from '../../src/gpu/kernels/conv2d';
import { conv2dGradFilterPartialsShape, prepareConv2dGradFilter } from '../../src/gpu/kernels/conv2dGradFilter';
import { prepareConv2dGradInput } from '../../src/gpu/kernels/conv2dGradInput';
import type { GpuRuntime } from '../../src/gpu/runtime';
import type { GpuTensor } from '../../src/gpu/tensor';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

interface Case {
  x: [number, number, number, number];
  k: [number, number, number, number];
  p: Pick<Window2D, 'strides' | 'padding'> & { activation?: ElementwiseActivation };
  bias?: boolean;
}

// Odd sizes everywhere: 5x7 images, channels 1/3/17, outC 1/8/17, all window shapes, both paddings.
const cases: Case[] = [
  { x: [1, 5, 7, 1], k: [3, 3, 1, 8], p: { strides: [1, 1], padding: 'same', activation: 'relu' }, bias: true },
  { x: [3, 5, 7, 3], k: [3, 3, 3, 17], p: { strides: [2, 2], padding: 'same' }, bias: true },
  { x: [3, 5, 7, 17], k: [2, 3, 17, 1], p: { strides: [1, 1], padding: 'valid', activation: 'tanh' } },
  { x: [1, 5, 7, 3], k: [5, 5, 3, 8], p: { strides: [1, 1], padding: 'same', activation: 'sigmoid' }, bias: true },
  { x: [3, 5, 7, 1], k: [5, 5, 1, 17], p: { strides: [2, 2], padding: 'valid' }, bias: true },
  { x: [1, 5, 7, 17], k: [1, 1, 17, 8], p: { strides: [2, 2], padding: 'same' } },
  { x: [3, 5, 7, 3], k: [1, 1, 3, 1], p: { strides: [1, 1], padding: 'valid' }, bias: true },
  { x: [1, 5, 7, 17], k: [2, 3, 17, 17], p: { strides: [2, 1], padding: 'same' } },
  { x: [3, 5, 7, 1], k: [3, 3, 1, 1], p: { strides: [2, 2], padding: 'valid', activation: 'relu' }, bias: true },
  // outC % 8 == 0 with any inC takes the narrow-input forward kernel.
  { x: [3, 5, 7, 3], k: [3, 3, 3, 16], p: { strides: [2, 2], padding: 'valid', activation: 'relu' }, bias: true },
  // inC and outC multiples of 4 take the vec4 kernels; multiples of 8 the 8x8 filter gradient.
  { x: [3, 5, 7, 16], k: [3, 2, 16, 8], p: { strides: [2, 1], padding: 'same' } },
  { x: [2, 6, 5, 16], k: [2, 3, 16, 24], p: { strides: [1, 2], padding: 'valid', activation: 'relu' }, bias: true },
  { x: [3, 5, 7, 8], k: [3, 3, 8, 8], p: { strides: [2, 2], padding: 'same', activation: 'relu' }, bias: true },
  { x: [1, 5, 7, 4], k: [2, 3, 4, 12], p: { strides: [1, 1], padding: 'valid' } },
  { x: [3, 5, 7, 4], k: [5, 5, 4, 4], p: { strides: [2, 1], padding: 'same', activation: 'tanh' }, bias: true },
  { x: [2, 28, 28, 1], k: [3, 3, 1, 32], p: { strides: [1, 1], padding: 'same', activation: 'relu' }, bias: true },
  { x: [2, 14, 14, 32], k: [3, 3, 32, 64], p: { strides: [1, 1], padding: 'same', activation: 'relu' }, bias: true },
];

function geometry(c: Case): string {
  return `x[${c.x}] k[${c.k}] ${c.p.padding} s${c.p.strides}`;
}

function name(c: Case): string {
  return `${geometry(c)} ${c.p.activation ?? 'linear'}${c.bias ? ' +bias' : ''}`;
}

function geom(c: Case): Geometry2D {
  return conv2dGeometry(c.x, c.k, c.p);
}

function yShape(c: Case): number[] {
  const g = geom(c);
  return [g.batch, g.outH, g.outW, c.k[3]];
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

async function readAndRelease(rt: GpuRuntime, out: GpuTensor, inputs: GpuTensor[]): Promise<Float32Array> {
  const result = await rt.read(out);
  [out, ...inputs].forEach((t) => rt.release(t));
  return result;
}

for (const [i, c] of cases.entries()) {
  gpuTest(`conv2d.forward ${name(c)}`, async (rt) => {
    const x = randomArray(size(c.x), 100 + i);
    const k = randomArray(size(c.k), 200 + i);
    const b = c.bias ? randomArray(c.k[3], 300 + i) : null;
    const expected = conv2dForward(x, k, b, geom(c), c.k[2], c.k[3], c.p.activation);
    const [tx, tk] = [rt.upload(x, c.x), rt.upload(k, c.k)];
    const tb = b ? rt.upload(b) : null;
    const y = rt.tensor(yShape(c));
    const d = await prepareConv2d(rt, tx, tk, tb, y, geom(c), c.p.activation);
    rt.submit([d]);
    rt.dispose(d);
    const actual = await readAndRelease(rt, y, tb ? [tx, tk, tb] : [tx, tk]);
    assertClose(actual, expected, { atol: 1e-5, rtol: 1e-4 }, 'y');
  });
}

// Gradient tolerances are looser: grad_filter sums up to N*outH*outW = 392 products per element.
const gradTol = { atol: 1e-4, rtol: 1e-3 };

for (const [i, c] of cases.entries()) {
  gpuTest(`conv2d.grad_input ${geometry(c)}`, async (rt) => {
    const dy = randomArray(size(yShape(c)), 400 + i);
    const k = randomArray(size(c.k), 500 + i);
    const expected = conv2dGradInput(dy, k, geom(c), c.k[2], c.k[3]);
    const [tdy, tk, dx] = [rt.upload(dy, yShape(c)), rt.upload(k, c.k), rt.tensor(c.x)];
    const d = await prepareConv2dGradInput(rt, tdy, tk, dx, geom(c));
    rt.submit([d]);
    rt.dispose(d);
    assertClose(await readAndRelease(rt, dx, [tdy, tk]), expected, gradTol, 'dx');
  });

  gpuTest(`conv2d.grad_filter ${geometry(c)}`, async (rt) => {
    const x = randomArray(size(c.x), 600 + i);
    const dy = randomArray(size(yShape(c)), 700 + i);
    const expected = conv2dGradFilter(x, dy, geom(c), c.k[2], c.k[3]);
    const [tx, tdy, dk] = [rt.upload(x, c.x), rt.upload(dy, yShape(c)), rt.tensor(c.k)];
    const partials = rt.tensor(conv2dGradFilterPartialsShape(geom(c), c.k));
    const ds = await prepareConv2dGradFilter(rt, tx, tdy, dk, partials, geom(c));
    rt.submit(ds);
    ds.forEach((d) => rt.dispose(d));
    assertClose(await readAndRelease(rt, dk, [tx, tdy, partials]), expected, gradTol, 'dkernel');
  });
}

// A Conv2D layer's whole backward pass recorded in one submit, with the bias gradient helper.
gpuTest('conv2d backward step: grad_input + grad_filter + bias grad in one submit', async (rt) => {
  const c: Case = { x: [3, 5, 7, 8], k: [3, 3, 8, 12], p: { strides: [2, 2], padding: 'same' } };
  const [x, k, dy] = [randomArray(size(c.x), 1400), randomArray(size(c.k), 1401), randomArray(size(yShape(c)), 1402)];
  const [tx, tk, tdy] = [rt.upload(x, c.x), rt.upload(k, c.k), rt.upload(dy, yShape(c))];
  const [dx, dk, db] = [rt.tensor(c.x), rt.tensor(c.k), rt.tensor([c.k[3]])];
  const partials = rt.tensor(conv2dGradFilterPartialsShape(geom(c), c.k));
  const input = await prepareConv2dGradInput(rt, tdy, tk, dx, geom(c));
  const filter = await prepareConv2dGradFilter(rt, tx, tdy, dk, partials, geom(c));
  const bias = await prepareBiasGrad(rt, tdy, db);
  rt.submit([input, ...filter, ...bias.dispatches]);
  rt.dispose(input);
  filter.forEach((d) => rt.dispose(d));
  bias.dispose();
  assertClose(await rt.read(dx), conv2dGradInput(dy, k, geom(c), c.k[2], c.k[3]), gradTol, 'dx');
  assertClose(await rt.read(dk), conv2dGradFilter(x, dy, geom(c), c.k[2], c.k[3]), gradTol, 'dkernel');
  assertClose(await readAndRelease(rt, db, [tx, tk, tdy, dx, dk, partials]), biasGrad(dy, c.k[3]), gradTol, 'dbias');
});
