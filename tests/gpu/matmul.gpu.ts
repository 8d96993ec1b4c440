import type { ElementwiseActivation } from '../../src/ops/activations';
import { matmul } from '../../src/ops/reference/matmul';
import { prepareMatmul, type MatmulOptions } from '../../src/gpu/kernels/matmul';
import type { GpuRuntime } from '../../src/gpu/runtime';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

async function check(rt: GpuRuntime, m: number, k: number, n: number, opts: Omit<MatmulOptions, 'bias'> & { seed: number; withBias?: boolean }): Promise<void> {
  const { transA = false, transB = false, activation = 'linear', seed } = opts;
  const a = randomArray(m * k, seed);
  const b = randomArray(k * n, seed + 1, -0.5, 1); // not symmetric around 0
  const bias = opts.withBias ? randomArray(n, seed + 2) : undefined;
  const ta = rt.upload(a, transA ? [k, m] : [m, k]);
  const tb = rt.upload(b, transB ? [n, k] : [k, n]);
  const tbias = bias ? rt.upload(bias, [n]) : undefined;
  const tc = rt.tensor([m, n]);
  const d = await prepareMatmul(rt, ta, tb, tc, { ...opts, bias: tbias });
  rt.submit([d]);
  const expected = matmul(Float64Array.from(a), Float64Array.from(b), { m, n, k, transA, transB, bias, activation });
  const tol = { atol: 2e-6 * Math.sqrt(k), rtol: 1e-4 };
  assertClose(await rt.read(tc), expected, tol, `C [${m},${n}] K=${k}`);
  rt.dispose(d);
  [ta, tb, tc, ...(tbias ? [tbias] : [])].forEach((t) => rt.release(t));
}

// [M, K, N]: single elements, non-tile-multiples, several workgroups both ways, the seed CNN's K.
const sizes: [number, number, number][] = [
  [1, 1, 1],
  [3, 17, 10],
  [33, 17, 1],
  [1, 3136, 10],
  [33, 3136, 100],
  [70, 5, 67],
];

for (const tiled of [false, true]) {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      gpuTest(`matmul tiled=${tiled} transA=${transA} transB=${transB}`, async (rt) => {
        for (const [i, [m, k, n]] of sizes.entries()) await check(rt, m, k, n, { transA, transB, tiled, seed: 10 * i + 1 });
      });
    }
  }
}

for (const activation of ['linear', 'relu', 'sigmoid', 'tanh'] as ElementwiseActivation[]) {
  gpuTest(`matmul bias + ${activation}`, async (rt) => {
    await check(rt, 33, 17, 100, { activation, withBias: true, seed: 3 });
    await check(rt, 3, 10, 7, { activation, withBias: true, transB: true, tiled: true, seed: 4 });
  });
}

gpuTest('matmul rejects mismatched shapes', async (rt) => {
  const [a, b, c] = [rt.tensor([2, 3]), rt.tensor([4, 5]), rt.tensor([2, 5])];
  let message = '';
  await prepareMatmul(rt, a, b, c).catch((e: Error) => (message = e.message));
  if (!/matmul: .*inner sizes differ \(3 vs 4\)/.test(message)) throw new Error(`unexpected error: '${message}'`);
  [a, b, c].forEach((t) => rt.release(t));
});
