// The embedding lookup and its scatter-add gradient against the CPU reference, on odd sizes,
// with repeated ids, ids truncated from fractions, and ids outside the table.
import { embeddingForward, embeddingGrad } from '../../src/ops/reference/embedding';
import { prepareEmbedding } from '../../src/gpu/kernels/embedding';
import { prepareEmbeddingGrad } from '../../src/gpu/kernels/embeddingGrad';
import { assertClose, randomArray, rng } from '../util/check';
import { gpuTest } from './harness';

for (const [rows, vocab, dim] of [[1, 1, 1], [7, 5, 3], [301, 37, 17], [64, 1000, 8]]) {
  gpuTest(`embedding rows=${rows} vocab=${vocab} dim=${dim}`, async (rt) => {
    const r = rng(rows + vocab);
    // Mostly valid ids, some fractional (truncated), some outside [0, vocab).
    const ids = Float32Array.from({ length: rows }, () => Math.floor(r() * (vocab + 2)) - 1 + (r() < 0.2 ? 0.5 : 0));
    const table = randomArray(vocab * dim, 1);
    const dy = randomArray(rows * dim, 2);
    const [tids, ttable, tdy] = [rt.upload(ids, [rows]), rt.upload(table, [vocab, dim]), rt.upload(dy, [rows, dim])];
    const [ty, tdt] = [rt.tensor([rows, dim]), rt.tensor([vocab, dim])];
    const ds = [await prepareEmbedding(rt, tids, ttable, ty), await prepareEmbeddingGrad(rt, tids, tdy, tdt)];
    rt.submit(ds);
    assertClose(await rt.read(ty), embeddingForward(ids, table, dim), { atol: 0, rtol: 0 }, 'forward');
    assertClose(await rt.read(tdt), embeddingGrad(ids, dy, vocab, dim), { atol: 1e-5, rtol: 1e-5 }, 'grad');
    ds.forEach((d) => rt.dispose(d));
    [tids, ttable, tdy, ty, tdt].forEach((t) => rt.release(t));
  });
}
