import { gatherImages, gatherLabels } from '../../src/ops/reference/gather';
import { prepareGatherImages, prepareGatherLabels, uploadBytes } from '../../src/gpu/kernels/gather';
import { assertClose, rng } from '../util/check';
import { gpuTest } from './harness';

function randomBytes(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
  out[0] = 255; // the extremes of the range appear
  if (n > 1) out[n - 1] = 0;
  return out;
}

// Out-of-order indices, repeats, the first and the last image, and (where asked) one past the end.
function indices(batch: number, count: number, seed: number, pastEnd: boolean): Uint32Array {
  const r = rng(seed);
  const idx = Uint32Array.from({ length: batch }, () => Math.floor(r() * count));
  idx[0] = count - 1;
  if (batch > 1) idx[batch - 1] = 0;
  if (batch > 2 && pastEnd) idx[1] = count;
  return idx;
}

for (const [imageBytes, count, batch] of [
  [784, 13, 1],
  [784, 13, 17],
  [5, 11, 3], // images straddle u32 words
  [3, 7, 9],
] as const) {
  gpuTest(`gather.images ${imageBytes} bytes x ${count} images, batch ${batch}`, async (rt) => {
    const data = randomBytes(imageBytes * count, imageBytes + batch);
    const idx = indices(batch, count, batch, true);
    const [bytes, index, out] = [uploadBytes(rt, data), rt.upload(idx), rt.tensor([batch, imageBytes])];
    const d = await prepareGatherImages(rt, bytes, index, out, { imageBytes, count });
    rt.submit([d]);
    assertClose(await rt.read(out), gatherImages(data, idx, imageBytes, count), { atol: 1e-7, rtol: 0 }, 'gather.images');
    rt.dispose(d);
    [bytes, index, out].forEach((t) => rt.release(t));
  });
}

for (const [count, batch] of [
  [1, 1],
  [10, 3],
  [1001, 257],
] as const) {
  gpuTest(`gather.labels ${count} labels, batch ${batch}`, async (rt) => {
    const data = randomBytes(count, count);
    const idx = indices(batch, count, count + batch, true);
    const [labels, index, out] = [uploadBytes(rt, data), rt.upload(idx), rt.tensor([batch], 'uint32')];
    const d = await prepareGatherLabels(rt, labels, index, out, count);
    rt.submit([d]);
    assertClose(await rt.read(out as typeof out & { dtype: 'uint32' }), gatherLabels(data, idx, count), { atol: 0, rtol: 0 }, 'gather.labels');
    rt.dispose(d);
    [labels, index, out].forEach((t) => rt.release(t));
  });
}

gpuTest('gather.images rejects a set that does not fit its bytes', async (rt) => {
  const [bytes, index, out] = [uploadBytes(rt, new Uint8Array(10)), rt.upload(new Uint32Array(2)), rt.tensor([2, 4])];
  let message = '';
  try {
    await prepareGatherImages(rt, bytes, index, out, { imageBytes: 4, count: 4 });
  } catch (e) {
    message = (e as Error).message;
  }
  if (!message.includes('do not fit')) throw new Error(`expected a size error, got '${message}'`);
  [bytes, index, out].forEach((t) => rt.release(t));
});
