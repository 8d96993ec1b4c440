// The seed CNN learns real Fashion-MNIST on the CPU engine: a bounded run on a small subset,
// as CI can afford (the full accuracy target is a benchmark run, see README).
import { expect, it } from 'vitest';
import { loadFashionMnistFromDir } from '../src/data/nodeFiles';
import { resetNameScope } from '../src/model/index';
import { seedCnn } from '../src/model/examples';
import { CpuEngine } from '../src/model/train/cpuEngine';
import { Trainer } from '../src/model/train/trainer';

it('seed CNN on 2,400 Fashion-MNIST images: loss falls well below its start, test accuracy far above chance', async () => {
  const data = await loadFashionMnistFromDir();
  resetNameScope();
  const model = seedCnn();
  model.initializeWeights(42);
  const trainer = await Trainer.compile(model, new CpuEngine(), { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], seed: 42 });
  const n = 2400;
  const losses: number[] = [];
  const history = await trainer.fit(
    { data: data.train.images.subarray(0, n * 784), shape: [n, 28, 28, 1], scale: 1 / 255 },
    { data: data.train.labels.subarray(0, n), shape: [n] },
    { epochs: 1, batchSize: 32, logEvery: 5, callbacks: [{ onBatchEnd: (_b, logs) => void losses.push(logs.loss) }] },
  );
  // Running means: the first is the first 5 batches' loss, near ln(10) = 2.30 for an untrained model.
  expect(losses[0]).toBeGreaterThan(1.5);
  expect(history.history.loss[0]).toBeLessThan(0.6 * losses[0]);
  const m = 2000;
  const test = await trainer.evaluate(
    { data: data.test.images.subarray(0, m * 784), shape: [m, 28, 28, 1], scale: 1 / 255 },
    { data: data.test.labels.subarray(0, m), shape: [m] },
    { batchSize: 250 },
  );
  expect(test.accuracy).toBeGreaterThan(0.6);
});
