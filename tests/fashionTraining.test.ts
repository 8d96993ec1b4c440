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
  const logged: { batch: number; loss: number }[] = [];
  const history = await trainer.fit(
    { data: data.train.images.subarray(0, n * 784), shape: [n, 28, 28, 1], scale: 1 / 255 },
    { data: data.train.labels.subarray(0, n), shape: [n] },
    { epochs: 1, batchSize: 32, logEvery: 5, callbacks: [{ onBatchEnd: (batch, logs) => void logged.push({ batch: batch + 1, loss: logs.loss }) }] },
  );
  // Logs are running means over the epoch: the first is the first 5 batches' loss, near
  // ln(10) = 2.30 for an untrained model; the mean over the last third of the epoch comes from two.
  const start = logged[0]!.loss;
  expect(start).toBeGreaterThan(1.5);
  const end = logged[logged.length - 1]!;
  const third = logged.find((l) => l.batch >= (2 * end.batch) / 3)!;
  const lastThird = (end.batch * end.loss - third.batch * third.loss) / (end.batch - third.batch);
  expect(history.history.loss[0]).toBeCloseTo(end.loss, 5);
  expect(lastThird).toBeLessThan(0.5 * start);
  const m = 2000;
  const test = await trainer.evaluate(
    { data: data.test.images.subarray(0, m * 784), shape: [m, 28, 28, 1], scale: 1 / 255 },
    { data: data.test.labels.subarray(0, m), shape: [m] },
    { batchSize: 250 },
  );
  expect(test.accuracy).toBeGreaterThan(0.6);
});
