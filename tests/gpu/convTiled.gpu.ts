// The workgroup-memory tiled conv2d variants (forward, input gradient, filter gradient) against the
// CPU reference on shapes tests/gpu/variants.gpu.ts lacks: tiles cut mid-image, channel counts
// that are not multiples of 4 or of the 64-wide tile, the reduction not a multiple of its step.
import type { ElementwiseActivation } from '../../src/ops/activations';
import { conv2dForward, conv2dGradFilter, conv2dGradInput } from '../../src/ops/reference/conv2d';
import { conv2dGeometry, type Geometry2D, type Window2D } from '../../src/ops/shapes';
import { prepareConv2d } from '../../src/gpu/kernels/conv2d';
import { conv2dGradFilterPartialsShape, prepareConv2dGradFilter } from '../../src/gpu/kernels/conv2dGradFilter';
import { prepareConv2dGradInput } from '../../src/gpu/kernels/conv2dGradInput';
import { TILED_VARIANTS } from '../../src/gpu/kernels/convTiledKernels';
import type { Dispatch, GpuRuntime } from '../../src/gpu/runtime';
import type { GpuTensor } from '../../src/gpu/tensor';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

interface Case {
  x: [number, number, number, number];
  k: [number, number, number, number];
  p: Pick<Window2D, 'strides' | 'padding'> & { activation?: ElementwiseActivation };
  bias?: boolean;
}

// Beyond variants.gpu.ts's cases (which run the tiled variants too): one input channel, a 64-wide
// channel tile exactly full, a 1x1 kernel, two tiles both ways, the filter gradient in several
// chunks. Each shape compiles its own pipelines (geometry is pipeline constants), so few cases.
const cases: Case[] = [
  { x: [3, 5, 7, 1], k: [3, 3, 1, 5], p: { strides: [1, 1], padding: 'same', activation: 'elu' }, bias: true },
  { x: [3, 5, 7, 5], k: [2, 3, 5, 64], p: { strides: [1, 1], padding: 'valid', activation: 'tanh' } },
  { x: [3, 5, 7, 3], k: [1, 1, 3, 64], p: { strides: [2, 2], padding: 'same' } },
  // Two tiles both ways: channel tiles (70, 66) and pixel tiles; filter rows 3*3*70 = 630.
  { x: [3, 5, 7, 70], k: [3, 3, 70, 66], p: { strides: [1, 1], padding: 'same', activation: 'relu' }, bias: true },
  // The seed CNN's conv2 at batch 2 (filter gradient split into several chunks).
  { x: [2, 14, 14, 32], k: [3, 3, 32, 64], p: { strides: [1, 1], padding: 'same', activation: 'relu' }, bias: true },
];

function geom(c: Case): Geometry2D {
  return conv2dGeometry(c.x, c.k, c.p);
}

function yShape(c: Case): number[] {
  const g = geom(c);
  return [g.batch, g.outH, g.outW, c.k[3]];
}

function name(c: Case): string {
  return `x[${c.x}] k[${c.k}] ${c.p.padding} s${c.p.strides} ${c.p.activation ?? 'linear'}${c.bias ? ' +bias' : ''}`;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

async function runAndRead(rt: GpuRuntime, ds: Dispatch[], out: GpuTensor, inputs: (GpuTensor | null)[]): Promise<Float32Array> {
  rt.submit(ds);
  ds.forEach((d) => rt.dispose(d));
  const result = await rt.read(out);
  [out, ...inputs].forEach((t) => t && rt.release(t));
  return result;
}

// The register-blocked kernels' tolerances (tests/gpu/conv2d.gpu.ts).
const forwardTol = { atol: 1e-5, rtol: 1e-4 };
const gradTol = { atol: 1e-4, rtol: 1e-3 };

for (const [i, c] of cases.entries()) {
  for (const variant of Object.values(TILED_VARIANTS)) {
    gpuTest(`conv2d.forward_tiled ${variant} ${name(c)}`, async (rt) => {
      const x = randomArray(size(c.x), 100 + i);
      const k = randomArray(size(c.k), 200 + i);
      const b = c.bias ? randomArray(c.k[3], 300 + i) : null;
      const expected = conv2dForward(x, k, b, geom(c), c.k[2], c.k[3], c.p.activation);
      const [tx, tk, tb, y] = [rt.upload(x, c.x), rt.upload(k, c.k), b ? rt.upload(b) : null, rt.tensor(yShape(c))];
      const ds = [await prepareConv2d(rt, tx, tk, tb, y, geom(c), c.p.activation, variant)];
      assertClose(await runAndRead(rt, ds, y, [tx, tk, tb]), expected, forwardTol, 'y');
    });

    gpuTest(`conv2d.grad_input_tiled ${variant} ${name(c)}`, async (rt) => {
      const dy = randomArray(size(yShape(c)), 400 + i);
      const k = randomArray(size(c.k), 500 + i);
      const expected = conv2dGradInput(dy, k, geom(c), c.k[2], c.k[3]);
      const [tdy, tk, dx] = [rt.upload(dy, yShape(c)), rt.upload(k, c.k), rt.tensor(c.x)];
      const ds = [await prepareConv2dGradInput(rt, tdy, tk, dx, geom(c), variant)];
      assertClose(await runAndRead(rt, ds, dx, [tdy, tk]), expected, gradTol, 'dx');
    });

    gpuTest(`conv2d.grad_filter_tiled ${variant} ${name(c)}`, async (rt) => {
      const x = randomArray(size(c.x), 600 + i);
      const dy = randomArray(size(yShape(c)), 700 + i);
      const expected = conv2dGradFilter(x, dy, geom(c), c.k[2], c.k[3]);
      const [tx, tdy, dk] = [rt.upload(x, c.x), rt.upload(dy, yShape(c)), rt.tensor(c.k)];
      const partials = rt.tensor(conv2dGradFilterPartialsShape(geom(c), c.k, variant));
      const ds = await prepareConv2dGradFilter(rt, tx, tdy, dk, partials, geom(c), variant);
      assertClose(await runAndRead(rt, ds, dk, [tx, tdy, partials]), expected, gradTol, 'dkernel');
    });
  }
}

gpuTest('conv2d.grad_filter_tiled splits a long reduction into chunks', async () => {
  const g = conv2dGeometry([32, 14, 14, 32], [3, 3, 32, 64], { strides: [1, 1], padding: 'same' });
  const splits = conv2dGradFilterPartialsShape(g, [3, 3, 32, 64], 'tiled')[0];
  // 5 tiles of 64x64 over 6272 pixels: chunks of 128 pixels keep ~250 workgroups busy.
  if (splits !== 49) throw new Error(`expected 49 splits, got ${splits}`);
});
