// Every listed variant of every heavy op against the CPU reference, on odd shapes. The tests
// iterate the kernel modules' variant lists, so a variant appended to a list is tested here
// without a change; the coverage test fails when no case here makes a listed variant valid.
import type { ElementwiseActivation } from '../../src/ops/activations';
import { conv2dForward, conv2dGradFilter, conv2dGradInput } from '../../src/ops/reference/conv2d';
import { matmul } from '../../src/ops/reference/matmul';
import { maxPool2dBackward, maxPool2dForward } from '../../src/ops/reference/maxPool2d';
import { conv2dGeometry, geometry2D, type Geometry2D, type Window2D } from '../../src/ops/shapes';
import { CONV2D_FORWARD_VARIANTS, conv2dVariants, prepareConv2d } from '../../src/gpu/kernels/conv2d';
import { CONV2D_GRAD_FILTER_VARIANTS, conv2dGradFilterPartialsShape, conv2dGradFilterVariants, prepareConv2dGradFilter } from '../../src/gpu/kernels/conv2dGradFilter';
import { CONV2D_GRAD_INPUT_VARIANTS, conv2dGradInputVariants, prepareConv2dGradInput } from '../../src/gpu/kernels/conv2dGradInput';
import { MATMUL_VARIANTS, matmulVariants, prepareMatmul } from '../../src/gpu/kernels/matmul';
import { MAX_POOL_BACKWARD_VARIANTS, maxPool2dBackwardVariants, prepareMaxPool2dBackward } from '../../src/gpu/kernels/maxPool2dBackward';
import type { Dispatch, GpuRuntime } from '../../src/gpu/runtime';
import type { GpuTensor } from '../../src/gpu/tensor';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

interface ConvCase {
  x: [number, number, number, number];
  k: [number, number, number, number];
  p: Pick<Window2D, 'strides' | 'padding'>;
  activation?: ElementwiseActivation;
}

// Batch 3, 5x7 images; channel pairs making each variant valid (5 and 12, multiples of 4 and 8).
const convCases: ConvCase[] = [
  { x: [3, 5, 7, 5], k: [3, 3, 5, 12], p: { strides: [2, 2], padding: 'same' }, activation: 'relu' },
  { x: [3, 5, 7, 12], k: [3, 2, 12, 5], p: { strides: [1, 1], padding: 'valid' } },
  { x: [3, 5, 7, 3], k: [3, 3, 3, 16], p: { strides: [2, 2], padding: 'valid' }, activation: 'tanh' },
  { x: [3, 5, 7, 12], k: [2, 3, 12, 16], p: { strides: [2, 1], padding: 'same' }, activation: 'relu' },
  { x: [3, 5, 7, 16], k: [3, 3, 16, 24], p: { strides: [1, 2], padding: 'same' } },
  { x: [3, 5, 7, 8], k: [5, 5, 8, 12], p: { strides: [2, 2], padding: 'valid' }, activation: 'sigmoid' },
];

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const gradTol = { atol: 1e-4, rtol: 1e-3 };

async function runAndRead(rt: GpuRuntime, dispatches: Promise<Dispatch | Dispatch[]>, out: GpuTensor, temps: GpuTensor[]): Promise<Float32Array> {
  const ds = [await dispatches].flat();
  rt.submit(ds);
  ds.forEach((d) => rt.dispose(d));
  const result = await rt.read(out);
  [out, ...temps].forEach((t) => rt.release(t));
  return result;
}

function convTests(c: ConvCase, i: number): void {
  const g: Geometry2D = conv2dGeometry(c.x, c.k, c.p);
  const yShape = [g.batch, g.outH, g.outW, c.k[3]];
  const [cin, cout] = [c.k[2], c.k[3]];
  const what = `x[${c.x}] k[${c.k}] ${c.p.padding} s${c.p.strides}`;
  for (const v of conv2dVariants(cin, cout)) {
    gpuTest(`variant conv2d.forward ${v} ${what}`, async (rt) => {
      const [x, k, b] = [randomArray(size(c.x), 10 + i), randomArray(size(c.k), 20 + i), randomArray(cout, 30 + i)];
      const [tx, tk, tb, y] = [rt.upload(x, c.x), rt.upload(k, c.k), rt.upload(b), rt.tensor(yShape)];
      const actual = await runAndRead(rt, prepareConv2d(rt, tx, tk, tb, y, g, c.activation, v), y, [tx, tk, tb]);
      assertClose(actual, conv2dForward(x, k, b, g, cin, cout, c.activation), { atol: 1e-5, rtol: 1e-4 }, 'y');
    });
  }
  for (const v of conv2dGradInputVariants(cin, cout)) {
    gpuTest(`variant conv2d.grad_input ${v} ${what}`, async (rt) => {
      const [dy, k] = [randomArray(size(yShape), 40 + i), randomArray(size(c.k), 50 + i)];
      const [tdy, tk, dx] = [rt.upload(dy, yShape), rt.upload(k, c.k), rt.tensor(c.x)];
      const actual = await runAndRead(rt, prepareConv2dGradInput(rt, tdy, tk, dx, g, v), dx, [tdy, tk]);
      assertClose(actual, conv2dGradInput(dy, k, g, cin, cout), gradTol, 'dx');
    });
  }
  for (const v of conv2dGradFilterVariants(g, c.k)) {
    gpuTest(`variant conv2d.grad_filter ${v} ${what}`, async (rt) => {
      const [x, dy] = [randomArray(size(c.x), 60 + i), randomArray(size(yShape), 70 + i)];
      const [tx, tdy, dk] = [rt.upload(x, c.x), rt.upload(dy, yShape), rt.tensor(c.k)];
      const partials = rt.tensor(conv2dGradFilterPartialsShape(g, c.k, v));
      const actual = await runAndRead(rt, prepareConv2dGradFilter(rt, tx, tdy, dk, partials, g, v), dk, [tx, tdy, partials]);
      assertClose(actual, conv2dGradFilter(x, dy, g, cin, cout), gradTol, 'dkernel');
    });
  }
}

convCases.forEach(convTests);

// [M, K, N] off every tile size, for each transpose; the last three with the sizes divisible by 4
// that the vec4 variant needs (M not, K not). Each variant runs on the first 3 sizes valid for it,
// the first of them with bias + relu.
const matmulSizes: [number, number, number][] = [
  [3, 17, 10],
  [70, 5, 67],
  [33, 129, 12],
  [36, 20, 68],
  [33, 12, 8],
  [20, 7, 12],
];
const TRANSPOSES = [[false, false], [true, false], [false, true], [true, true]] as const;

for (const [transA, transB] of TRANSPOSES) {
  const listed = new Set(matmulSizes.flatMap(([m, k, n]) => matmulVariants(m, n, k, transA, transB)));
  for (const v of listed) {
    const sizes = matmulSizes.filter(([m, k, n]) => matmulVariants(m, n, k, transA, transB).includes(v)).slice(0, 3);
    gpuTest(`variant matmul ${v} transA=${transA} transB=${transB}`, async (rt) => {
      for (const [j, [m, k, n]] of sizes.entries()) {
        const [a, b, bias] = [randomArray(m * k, j + 1), randomArray(k * n, j + 2, -0.5, 1), randomArray(n, j + 3)];
        const withBias = j === 0;
        const activation: ElementwiseActivation = withBias ? 'relu' : 'linear';
        const [ta, tb, tc] = [rt.upload(a, transA ? [k, m] : [m, k]), rt.upload(b, transB ? [n, k] : [k, n]), rt.tensor([m, n])];
        const tbias = rt.upload(bias);
        const opts = { transA, transB, activation, variant: v, ...(withBias ? { bias: tbias } : {}) };
        const actual = await runAndRead(rt, prepareMatmul(rt, ta, tb, tc, opts), tc, [ta, tb, tbias]);
        const expected = matmul(Float64Array.from(a), Float64Array.from(b), { m, n, k, transA, transB, activation, ...(withBias ? { bias } : {}) });
        assertClose(actual, expected, { atol: 2e-6 * Math.sqrt(k), rtol: 1e-4 }, `C [${m},${n}] K=${k}`);
      }
    });
  }
}

// Tiling windows (2x2 and 3x3 strides equal to the window, C 12) and overlapping ones (C 5).
const poolCases: { x: [number, number, number, number]; p: Window2D }[] = [
  { x: [3, 6, 8, 12], p: { kernel: [2, 2], strides: [2, 2], padding: 'valid' } },
  { x: [3, 6, 9, 12], p: { kernel: [3, 3], strides: [3, 3], padding: 'valid' } },
  { x: [3, 5, 7, 5], p: { kernel: [3, 3], strides: [2, 2], padding: 'same' } },
];

for (const [i, c] of poolCases.entries()) {
  const g = geometry2D(c.x, c.p);
  const yShape = [g.batch, g.outH, g.outW, c.x[3]];
  for (const v of maxPool2dBackwardVariants(g, c.x[3])) {
    gpuTest(`variant maxpool2d.backward ${v} x[${c.x}] k${c.p.kernel} s${c.p.strides}`, async (rt) => {
      const { argmax } = maxPool2dForward(randomArray(size(c.x), 80 + i), g, c.x[3]);
      const dy = randomArray(argmax.length, 90 + i);
      const [tdy, targ, dx] = [rt.upload(dy, yShape), rt.upload(argmax, yShape), rt.tensor(c.x)];
      const actual = await runAndRead(rt, prepareMaxPool2dBackward(rt, tdy, targ, dx, g, v), dx, [tdy, targ]);
      assertClose(actual, maxPool2dBackward(dy, argmax, g, c.x[3]), { atol: 1e-6, rtol: 1e-5 }, 'dx');
    });
  }
}

gpuTest('variant lists: every listed variant is valid in some case above', async () => {
  const seen = new Set<string>();
  for (const c of convCases) {
    const g = conv2dGeometry(c.x, c.k, c.p);
    conv2dVariants(c.k[2], c.k[3]).forEach((v) => seen.add(`conv2d.forward ${v}`));
    conv2dGradInputVariants(c.k[2], c.k[3]).forEach((v) => seen.add(`conv2d.grad_input ${v}`));
    conv2dGradFilterVariants(g, c.k).forEach((v) => seen.add(`conv2d.grad_filter ${v}`));
  }
  for (const [transA, transB] of TRANSPOSES) {
    for (const [m, k, n] of matmulSizes) matmulVariants(m, n, k, transA, transB).forEach((v) => seen.add(`matmul ${v}`));
  }
  poolCases.forEach((c) => maxPool2dBackwardVariants(geometry2D(c.x, c.p), c.x[3]).forEach((v) => seen.add(`maxpool2d.backward ${v}`)));
  const listed = [
    ...CONV2D_FORWARD_VARIANTS.map((v) => `conv2d.forward ${v.name}`),
    ...CONV2D_GRAD_INPUT_VARIANTS.map((v) => `conv2d.grad_input ${v.name}`),
    ...CONV2D_GRAD_FILTER_VARIANTS.map((v) => `conv2d.grad_filter ${v.name}`),
    ...MATMUL_VARIANTS.map((v) => `matmul ${v.name}`),
    ...MAX_POOL_BACKWARD_VARIANTS.map((v) => `maxpool2d.backward ${v.name}`),
  ];
  const missing = listed.filter((v) => !seen.has(v));
  if (missing.length > 0) throw new Error(`no case makes these variants valid (add one): ${missing.join(', ')}`);
});
