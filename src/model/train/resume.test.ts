// Pause and Resume: a fit stopped mid-epoch, then fit again from the step it reached with the
// same seed, ends with exactly the weights of an uninterrupted fit.
import { expect, it } from 'vitest';
import { layers, sequential } from '../index';
import { rng } from '../../../tests/util/check';
import { CpuEngine } from './cpuEngine';
import { Trainer } from './trainer';

function net() {
  const m = sequential({ seed: 3 });
  m.add(layers.dense({ units: 8, activation: 'relu', inputShape: [5] }));
  m.add(layers.dropout({ rate: 0.3 }));
  m.add(layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}

it('a stopped fit resumed with initialStep ends with the weights of an uninterrupted fit', async () => {
  const r = rng(4);
  const n = 100;
  const x = { data: Float32Array.from({ length: n * 5 }, () => r() * 2 - 1), shape: [n, 5] };
  const y = { data: Uint32Array.from({ length: n }, () => Math.floor(r() * 3)), shape: [n] };
  const args = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' } as const;

  const whole = await Trainer.compile(net(), new CpuEngine(), args);
  await whole.fit(x, y, { epochs: 1, batchSize: 10, seed: 7 });

  const parts = await Trainer.compile(net(), new CpuEngine(), args);
  await parts.fit(x, y, { epochs: 1, batchSize: 10, seed: 7, logEvery: 1, callbacks: [{ onBatchEnd: (b) => void (b === 3 && parts.stop()) }] });
  expect(parts.stepsDone).toBe(4);
  await parts.fit(x, y, { epochs: 1, batchSize: 10, seed: 7, initialStep: parts.stepsDone });

  expect(await parts.engine.readParams()).toEqual(await whole.engine.readParams());
  await expect(parts.fit(x, y, { epochs: 1, batchSize: 10, initialStep: 10 })).rejects.toThrow(/initialStep must be an integer in \[0, 10\)/);
});
