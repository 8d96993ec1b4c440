// The split-K tiled matmul against the CPU reference: every transpose, one and several K chunks
// (a chunk cut mid-step, an empty last chunk), bias and activations applied once after the sum.
import type { ElementwiseActivation } from '../../src/ops/activations';
import { matmul } from '../../src/ops/reference/matmul';
import { matmulSplitKPartialsShape, matmulSplits, prepareMatmulSplitK } from '../../src/gpu/kernels/matmulSplitK';
import type { TiledBlock } from '../../src/gpu/kernels/convTiledKernels';
import type { GpuRuntime } from '../../src/gpu/runtime';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

interface Opts {
  transA?: boolean;
  transB?: boolean;
  activation?: ElementwiseActivation;
  withBias?: boolean;
  splits?: number;
  block?: TiledBlock;
  seed: number;
}

async function check(rt: GpuRuntime, m: number, k: number, n: number, opts: Opts): Promise<void> {
  const { transA = false, transB = false, activation = 'linear', seed } = opts;
  const a = randomArray(m * k, seed);
  const b = randomArray(k * n, seed + 1, -0.5, 1); // not symmetric around 0
  const bias = opts.withBias ? randomArray(n, seed + 2) : undefined;
  const ta = rt.upload(a, transA ? [k, m] : [m, k]);
  const tb = rt.upload(b, transB ? [n, k] : [k, n]);
  const tbias = bias ? rt.upload(bias, [n]) : undefined;
  const tc = rt.tensor([m, n]);
  const shape = matmulSplitKPartialsShape(m, n, k, opts.splits);
  const partials = shape ? rt.tensor(shape) : null;
  const ds = await prepareMatmulSplitK(rt, ta, tb, tc, partials, { transA, transB, activation, bias: tbias, block: opts.block });
  rt.submit(ds);
  const expected = matmul(Float64Array.from(a), Float64Array.from(b), { m, n, k, transA, transB, bias, activation });
  // prepareMatmul's tolerance (tests/gpu/matmul.gpu.ts).
  const tol = { atol: 2e-6 * Math.sqrt(k), rtol: 1e-4 };
  assertClose(await rt.read(tc), expected, tol, `C [${m},${n}] K=${k} splits=${shape?.[0] ?? 1}`);
  ds.forEach((d) => rt.dispose(d));
  [ta, tb, tc, tbias, partials].forEach((t) => t && rt.release(t));
}

// [M, K, N, splits]: K = 17 in 3 chunks of 16 (the last one empty); non-tile-multiples and several
// tiles both ways in one chunk; a long K (3136, the seed CNN's flattened width) split as matmulSplits says.
// Each size compiles its own pipelines (the sizes are pipeline constants), so the list is short.
const sizes: [number, number, number, number | undefined][] = [
  [3, 17, 10, 3],
  [70, 5, 67, undefined],
  [33, 3136, 100, undefined],
];

for (const block of ['4x4', '8x8'] as const) {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      gpuTest(`matmul.splitk ${block} transA=${transA} transB=${transB}`, async (rt) => {
        for (const [i, [m, k, n, splits]] of sizes.entries()) await check(rt, m, k, n, { transA, transB, splits, block, seed: 10 * i + 1 });
      });
    }
  }
}

// The activation is applied once, after the chunks are summed: every activation on one block,
// and the other block with relu.
const activationCases: ['4x4' | '8x8', ElementwiseActivation][] = [
  ['4x4', 'linear'],
  ['4x4', 'relu'],
  ['4x4', 'sigmoid'],
  ['4x4', 'tanh'],
  ['8x8', 'relu'],
];
for (const [block, activation] of activationCases) {
  gpuTest(`matmul.splitk ${block} bias + ${activation}`, async (rt) => {
    await check(rt, 37, 400, 7, { activation, withBias: true, transB: true, splits: 3, block, seed: 4 });
  });
}

gpuTest('matmul.splitk splits only a long K', async () => {
  // The seed CNN's Dense dW at batch 32 (K = 32): no split; at batch 1024: 98 tiles, 3 chunks.
  const got = [matmulSplits(3136, 100, 32), matmulSplits(3136, 100, 1024), matmulSplits(100, 10, 4096)];
  if (got.join() !== '1,3,32') throw new Error(`splits ${got.join()}, expected 1,3,32`);
});
