// Per-kernel figures at the seed CNN's shapes (batch 32), each heavy kernel in every variant valid
// for its shape: GFLOP/s and the fraction of the adapter's measured peak (a peak-FMA
// microbenchmark). Each figure is the median of timed submits, each waited for; the page
// publishes the rows on window.__kernels.
import { conv2dVariants, prepareConv2d } from '../src/gpu/kernels/conv2d';
import { conv2dGradFilterPartialsShape, conv2dGradFilterVariants, prepareConv2dGradFilter } from '../src/gpu/kernels/conv2dGradFilter';
import { conv2dGradInputVariants, prepareConv2dGradInput } from '../src/gpu/kernels/conv2dGradInput';
import { matmulVariants, prepareMatmul } from '../src/gpu/kernels/matmul';
import { PEAK_FLOPS_PER_ROUND, preparePeakFma } from '../src/gpu/kernels/peakFma';
import type { Dispatch } from '../src/gpu/runtime';
import { GpuRuntime } from '../src/gpu/runtime';
import type { GpuTensor } from '../src/gpu/tensor';
import { conv2dGeometry } from '../src/ops/shapes';
import { seededRandom } from './workloads';

export interface KernelRow {
  kernel: string;
  variant: string;
  /** The op's default variant (what tuning 'off' runs). */
  isDefault: boolean;
  shape: string;
  gflop: number;
  medianMs: number;
  gflops: number;
  ofPeak: number;
}

declare global {
  interface Window {
    __kernels: { done: boolean; peakGflops?: number; rows?: KernelRow[]; adapter?: string; error?: string };
  }
}

window.__kernels = { done: false };
const REPS = Number(new URLSearchParams(location.search).get('reps') ?? 5);

async function time(rt: GpuRuntime, dispatches: Dispatch[]): Promise<number> {
  rt.submit(dispatches);
  await rt.finish();
  const ms: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    rt.submit(dispatches);
    await rt.finish();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)];
}

async function main(): Promise<void> {
  const rt = await GpuRuntime.create();
  window.__kernels.adapter = rt.adapterName;
  const rand = seededRandom(3);
  const t = (shape: number[]): GpuTensor => rt.upload(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() - 0.5), shape);

  const out = rt.tensor([64 * 1024]);
  const iters = 2048;
  const peakMs = await time(rt, [await preparePeakFma(rt, out, iters)]);
  const peakGflops = (out.size * iters * PEAK_FLOPS_PER_ROUND) / (peakMs * 1e6);
  window.__kernels.peakGflops = peakGflops;

  const B = 32;
  const conv = { strides: [1, 1] as [number, number], padding: 'same' as const };
  const [x1, w1, y1] = [t([B, 28, 28, 1]), t([3, 3, 1, 32]), t([B, 28, 28, 32])];
  const [x2, w2, b2, y2] = [t([B, 14, 14, 32]), t([3, 3, 32, 64]), t([64]), t([B, 14, 14, 64])];
  const [dx2, dw2] = [t([B, 14, 14, 32]), t([3, 3, 32, 64])];
  const [g1, g2] = [conv2dGeometry(x1.shape, w1.shape, conv), conv2dGeometry(x2.shape, w2.shape, conv)];
  const [xd, wd, bd, yd, dyd, dwd] = [t([B, 3136]), t([3136, 100]), t([100]), t([B, 100]), t([B, 100]), t([3136, 100])];
  const conv2Flop = 2 * B * 14 * 14 * 64 * 288;
  const denseFlop = 2 * B * 3136 * 100;
  const partialsFor = (variant: string) => t(conv2dGradFilterPartialsShape(g2, w2.shape, variant));
  // Each heavy kernel in every variant valid for its shape (the default, the old shape rule, first).
  const cases: { kernel: string; shape: string; flop: number; variants: string[]; d: (variant: string) => Promise<Dispatch[]> }[] = [
    { kernel: 'matmul (Dense forward, bias+relu)', shape: '[32,3136]x[3136,100]', flop: denseFlop, variants: matmulVariants(B, 100, 3136), d: async (variant) => [await prepareMatmul(rt, xd, wd, yd, { bias: bd, activation: 'relu', variant })] },
    { kernel: 'matmul (Dense dW = X^T dY)', shape: '[3136,32]x[32,100]', flop: denseFlop, variants: matmulVariants(3136, 100, B, true), d: async (variant) => [await prepareMatmul(rt, xd, dyd, dwd, { transA: true, variant })] },
    { kernel: 'conv2d forward (conv1)', shape: '28x28x1 -> 32, k3', flop: 2 * B * 28 * 28 * 32 * 9, variants: conv2dVariants(1, 32), d: async (variant) => [await prepareConv2d(rt, x1, w1, null, y1, g1, 'relu', variant)] },
    { kernel: 'conv2d forward (conv2)', shape: '14x14x32 -> 64, k3', flop: conv2Flop, variants: conv2dVariants(32, 64), d: async (variant) => [await prepareConv2d(rt, x2, w2, b2, y2, g2, 'relu', variant)] },
    { kernel: 'conv2d grad input (conv2)', shape: '14x14x32 -> 64, k3', flop: conv2Flop, variants: conv2dGradInputVariants(32, 64), d: async (variant) => [await prepareConv2dGradInput(rt, y2, w2, dx2, g2, variant)] },
    { kernel: 'conv2d grad filter (conv2)', shape: '14x14x32 -> 64, k3', flop: conv2Flop, variants: conv2dGradFilterVariants(g2, w2.shape), d: (variant) => prepareConv2dGradFilter(rt, x2, y2, dw2, partialsFor(variant), g2, variant) },
  ];
  const rows: KernelRow[] = [];
  for (const c of cases) {
    for (const [k, variant] of c.variants.entries()) {
      const ms = await time(rt, await c.d(variant));
      const gflops = c.flop / (ms * 1e6);
      rows.push({ kernel: c.kernel, variant, isDefault: k === 0, shape: `${c.shape}, batch ${B}`, gflop: c.flop / 1e9, medianMs: ms, gflops, ofPeak: gflops / peakGflops });
    }
  }
  window.__kernels.rows = rows;
}

main()
  .catch((e) => (window.__kernels.error = e instanceof Error ? e.message : String(e)))
  .finally(() => (window.__kernels.done = true));
