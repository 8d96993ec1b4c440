import { dropoutBackward, dropoutForward } from '../../src/ops/reference/dropout';
import { prepareDropoutBackward, prepareDropoutForward } from '../../src/gpu/kernels/dropout';
import type { GpuRuntime } from '../../src/gpu/runtime';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

const exact = { atol: 0, rtol: 0 };

async function runDropout(rt: GpuRuntime, x: Float32Array, rate: number, seed: number, step: number, pass: 'forward' | 'backward') {
  const [tx, counter, out] = [rt.upload(x), rt.upload(new Uint32Array([step])), rt.tensor([x.length])];
  const prepare = pass === 'forward' ? prepareDropoutForward : prepareDropoutBackward;
  const d = await prepare(rt, tx, counter, out, { rate, seed });
  rt.submit([d]);
  const y = await rt.read(out);
  rt.dispose(d);
  [tx, counter, out].forEach((t) => rt.release(t));
  return y;
}

for (const [n, rate, seed, step] of [
  [1, 0.5, 1, 0],
  [7, 0.3, 2, 9],
  [1000, 0.5, 3, 1],
  [4099, 0.2, 0xfffffffe, 123456],
] as const) {
  gpuTest(`dropout n=${n} rate=${rate}: GPU mask = CPU mask, forward and backward`, async (rt) => {
    const x = randomArray(n, 10 + n, 0.5, 2); // no zeros, so a zero output means dropped
    const p = { rate, seed, step };
    assertClose(await runDropout(rt, x, rate, seed, step, 'forward'), dropoutForward(x, p), exact, 'dropout forward');
    const dy = randomArray(n, 20 + n, 0.5, 2);
    assertClose(await runDropout(rt, dy, rate, seed, step, 'backward'), dropoutBackward(dy, p), exact, 'dropout backward');
  });
}

gpuTest('dropout rate 0 is the identity', async (rt) => {
  const x = randomArray(333, 5);
  assertClose(await runDropout(rt, x, 0, 4, 7, 'forward'), x, exact, 'dropout rate 0');
});

gpuTest('dropout keeps ~1-rate of a large tensor; the counter changes the mask', async (rt) => {
  const n = 200_000;
  const rate = 0.25;
  const [tx, counter, out] = [rt.upload(new Float32Array(n).fill(1)), rt.upload(new Uint32Array([0])), rt.tensor([n])];
  const d = await prepareDropoutForward(rt, tx, counter, out, { rate, seed: 99 });
  rt.submit([d]);
  const first = await rt.read(out);
  const kept = first.reduce((k, v) => k + (v !== 0 ? 1 : 0), 0);
  if (Math.abs(kept / n - (1 - rate)) > 0.005) throw new Error(`kept fraction ${kept / n}, expected ~${1 - rate}`);
  if (first.some((v) => v !== 0 && v !== Math.fround(1 / (1 - rate)))) throw new Error('kept values are not scaled by 1 / (1 - rate)');
  // Replaying the same dispatch after the counter advances gives a different mask, as the CPU says.
  rt.write(counter, new Uint32Array([1]));
  rt.submit([d]);
  const second = await rt.read(out);
  assertClose(second, dropoutForward(new Float32Array(n).fill(1), { rate, seed: 99, step: 1 }), exact, 'dropout step 1');
  if (second.every((v, i) => v === first[i])) throw new Error('mask did not change with the step counter');
  rt.dispose(d);
  [tx, counter, out].forEach((t) => rt.release(t));
});
