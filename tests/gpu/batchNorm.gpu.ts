// The batch-normalization kernels against the CPU reference (src/ops/reference/batchNorm.ts) on
// odd sizes: rows (N * H * W) 1, 7 and 1000 (a partial stride of the 256-wide workgroup) times
// channels 1, 3 and 17. Reductions run as float32 tree sums, the reference in float64.
import { moments, normalize, normalizeGradInput, normalizeGradSums } from '../../src/ops/reference/batchNorm';
import { prepareMoments } from '../../src/gpu/kernels/moments';
import { prepareNormalize } from '../../src/gpu/kernels/normalize';
import { prepareNormalizeGradInput } from '../../src/gpu/kernels/normalizeGradInput';
import { prepareNormalizeGradSums } from '../../src/gpu/kernels/normalizeGradSums';
import type { GpuRuntime } from '../../src/gpu/runtime';
import type { GpuTensor } from '../../src/gpu/tensor';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

const EPS = 0.001;

/** Prepares one dispatch, runs it, reads `out`, frees everything. */
async function runOnce(rt: GpuRuntime, d: Promise<Awaited<ReturnType<GpuRuntime['prepare']>>>, out: GpuTensor[], all: GpuTensor[]): Promise<Float32Array[]> {
  const dispatch = await d;
  rt.submit([dispatch]);
  const values = await Promise.all(out.map((t) => rt.read(t) as Promise<Float32Array>));
  rt.dispose(dispatch);
  all.forEach((t) => rt.release(t));
  return values;
}

for (const rows of [1, 7, 1000]) {
  for (const channels of [1, 3, 17]) {
    const n = rows * channels;
    const shape = [rows, channels];
    const x = randomArray(n, rows + channels, -2, 3);
    const dy = randomArray(n, 7 * rows + channels);
    const gamma = randomArray(channels, 2, 0.5, 1.5);
    const beta = randomArray(channels, 3);
    const stats = moments(x, channels);

    gpuTest(`moments rows=${rows} channels=${channels}`, async (rt) => {
      const [tx, mean, variance] = [rt.upload(x, shape), rt.tensor([channels]), rt.tensor([channels])];
      const [m, v] = await runOnce(rt, prepareMoments(rt, tx, mean, variance), [mean, variance], [tx, mean, variance]);
      assertClose(m, stats.mean, { atol: 1e-5, rtol: 1e-5 }, 'mean');
      assertClose(v, stats.variance, { atol: 1e-5, rtol: 1e-4 }, 'variance');
    });

    for (const [floor, affine] of [[false, true], [true, false]]) {
      gpuTest(`normalize rows=${rows} channels=${channels} ${floor ? 'floor, no gamma/beta' : 'gamma and beta'}`, async (rt) => {
        const s = { epsilon: floor ? 1e-7 : EPS, floor };
        const t = [rt.upload(x, shape), rt.upload(stats.mean), rt.upload(stats.variance), rt.upload(gamma), rt.upload(beta), rt.tensor(shape)];
        const [tx, tm, tv, tg, tb, ty] = t;
        const d = prepareNormalize(rt, tx, { mean: tm, variance: tv, ...s }, affine ? tg : null, affine ? tb : null, ty);
        const [y] = await runOnce(rt, d, [ty], t);
        const expected = normalize(x, { ...stats, ...s }, affine ? gamma : null, affine ? beta : null);
        // One row normalizes to 0 / max(sqrt(0), 1e-7): exact zeros on both.
        assertClose(y, expected, { atol: 1e-5, rtol: 1e-5 }, 'y');
      });
    }

    gpuTest(`normalizeGradSums rows=${rows} channels=${channels}`, async (rt) => {
      const t = [rt.upload(dy, shape), rt.upload(x, shape), rt.upload(stats.mean), rt.upload(stats.variance), rt.tensor([2, channels])];
      const [tdy, tx, tm, tv, sums] = t;
      const [got] = await runOnce(rt, prepareNormalizeGradSums(rt, tdy, tx, { mean: tm, variance: tv, epsilon: EPS, floor: false }, sums), [sums], t);
      assertClose(got, normalizeGradSums(dy, x, { ...stats, epsilon: EPS, floor: false }), { atol: 1e-4, rtol: 1e-4 }, 'sums');
    });

    for (const batchStats of [true, false]) {
      gpuTest(`normalizeGradInput rows=${rows} channels=${channels} ${batchStats ? 'batch' : 'fixed'} statistics`, async (rt) => {
        const s = { ...stats, epsilon: EPS, floor: false };
        const sums = normalizeGradSums(dy, x, s);
        const t = [rt.upload(dy, shape), rt.upload(x, shape), rt.upload(stats.mean), rt.upload(stats.variance), rt.upload(gamma), rt.upload(sums), rt.tensor(shape)];
        const [tdy, tx, tm, tv, tg, ts, tdx] = t;
        const d = prepareNormalizeGradInput(rt, tdy, tx, { mean: tm, variance: tv, epsilon: EPS, floor: false }, tg, batchStats ? ts : null, tdx);
        const [dx] = await runOnce(rt, d, [tdx], t);
        assertClose(dx, normalizeGradInput(dy, x, s, gamma, batchStats ? sums : null), { atol: 1e-4, rtol: 1e-4 }, 'dx');
      });
    }
  }
}
