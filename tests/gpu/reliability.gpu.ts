// Faults and long runs on the WebGPU engine: a batch over the adapter's limits is refused with
// the batch that fits; stopping and restarting 50 times, and 5 epochs, leave GPU memory where it
// started. (A lost device: deviceLost.gpu.ts.)
import { GpuRuntime } from '../../src/gpu/runtime';
import { layers, sequential, type Model } from '../../src/model/index';
import { BatchTooLargeError } from '../../src/model/train/batchLimit';
import type { DataSet } from '../../src/model/train/engine';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { NonFiniteLossError, Trainer } from '../../src/model/train/trainer';
import { assertClose, rng } from '../util/check';
import { gpuTest } from './harness';

const COMPILE = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] } as const;

function tinyCnn(side: number, seed: number): Model {
  const m = sequential({ seed });
  m.add(layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [side, side, 1] }));
  m.add(layers.maxPooling2d({ poolSize: side > 8 ? 4 : 2 }));
  m.add(layers.flatten());
  m.add(layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

function images(n: number, side: number, seed: number): DataSet {
  const r = rng(seed);
  return {
    inputs: [{ data: Uint8Array.from({ length: n * side * side }, () => Math.floor(r() * 256)), shape: [n, side, side, 1], scale: 1 / 255 }],
    targets: [{ data: Uint8Array.from({ length: n }, () => Math.floor(r() * 10)), shape: [n] }],
  };
}

function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

gpuTest('reliability: a batch over the buffer limit is refused with the limit and the largest batch that fits', async (rt) => {
  // The same device with a small maxStorageBufferBindingSize, as a small adapter would report.
  const limit = 64 * 1024;
  const limits = { maxStorageBufferBindingSize: limit, maxBufferSize: rt.limits.maxBufferSize, maxComputeWorkgroupsPerDimension: rt.limits.maxComputeWorkgroupsPerDimension };
  const small = Object.create(rt, { limits: { value: limits } }) as GpuRuntime;
  const t = await Trainer.compile(tinyCnn(8, 1), await GpuEngine.create(small), COMPILE);
  const { inputs: [x], targets: [y] } = images(512, 8, 2);
  let error: unknown = null;
  await t.fit(x!, y!, { batchSize: 512 }).catch((e: unknown) => (error = e));
  check(error instanceof BatchTooLargeError, `expected a BatchTooLargeError, got ${String(error)}`);
  const largest = error.largestBatch;
  check(new RegExp(`maxStorageBufferBindingSize of ${limit} bytes\\. The largest batch that fits is ${largest}\\.`).test(error.message), error.message);
  check(largest > 1 && largest < 512, `largest batch ${largest}`);
  // The batch it names does fit (the runner's error scope fails the test on any validation error).
  const h = await t.fit(x!, y!, { batchSize: largest });
  check(Number.isFinite(h.history.loss![0]!), 'no loss at the largest batch');
  t.dispose();
  t.engine.dispose();
});

gpuTest('reliability: a NaN loss from a huge learning rate stops with the step and keeps finite weights on the GPU', async (rt) => {
  const { inputs: [x], targets: [y] } = images(128, 8, 6);
  const t = await Trainer.compile(tinyCnn(8, 2), await GpuEngine.create(rt), { ...COMPILE, optimizer: { kind: 'sgd', learningRate: 1e30 } });
  const error = await t.fit(x!, y!, { epochs: 3, batchSize: 16, logEvery: 2, keepWeights: 'log' }).then(() => null, (e: unknown) => e);
  check(error instanceof NonFiniteLossError, `expected a NonFiniteLossError, got ${String(error)}`);
  check(/the loss became (NaN|Infinity|-Infinity) in epoch \d+ by step \d+/.test(error.message), error.message);
  const onGpu = await t.engine.readParams();
  check(onGpu.every(Number.isFinite), 'the weights left on the GPU are not finite');
  assertClose(onGpu, t.packWeights(), { atol: 0, rtol: 0 }, 'GPU weights vs the layers');
  t.dispose();
  t.engine.dispose();
});

gpuTest('reliability: 50 stops and restarts, and 5 epochs, leave live GPU buffers and bytes where they started', async (rt) => {
  const { inputs: [x], targets: [y] } = images(64, 8, 3);
  const before = rt.stats();
  // Restart = a new engine and trainer, as the page does for each Train press; stop after 2 steps.
  for (let i = 0; i < 50; i++) {
    const t = await Trainer.compile(tinyCnn(8, i), await GpuEngine.create(rt), COMPILE);
    await t.fit(x!, y!, { epochs: 3, batchSize: 16, logEvery: 1, callbacks: [{ onBatchEnd: (b) => void (b === 1 && t.stop()) }] });
    t.dispose();
    t.engine.dispose();
  }
  const after = rt.stats();
  check(after.liveBuffers === before.liveBuffers && after.liveBytes === before.liveBytes, `after 50 restarts: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  // Pause/resume on one trainer, then a long run: nothing grows after the first fit.
  const t = await Trainer.compile(tinyCnn(8, 9), await GpuEngine.create(rt), COMPILE);
  await t.fit(x!, y!, { epochs: 1, batchSize: 16, validationSplit: 0.25 });
  const started = t.engine.memory();
  const pooled = rt.stats().freeBuffers + rt.stats().liveBuffers;
  for (let i = 0; i < 50; i++) {
    await t.fit(x!, y!, { epochs: 2, batchSize: 16, validationSplit: 0.25, logEvery: 1, callbacks: [{ onBatchEnd: (b) => void (b === 0 && t.stop()) }] });
  }
  await t.fit(x!, y!, { epochs: 5, batchSize: 16, validationSplit: 0.25 });
  const ended = t.engine.memory();
  check(ended.buffers === started.buffers && ended.bytes === started.bytes, `after 50 stops and 5 epochs: ${JSON.stringify(started)} -> ${JSON.stringify(ended)}`);
  check(rt.stats().freeBuffers + rt.stats().liveBuffers === pooled, 'the buffer pool grew');
  t.dispose();
  t.engine.dispose();
  const end = rt.stats();
  check(end.liveBuffers === before.liveBuffers && end.liveBytes === before.liveBytes, `after dispose: ${JSON.stringify(before)} -> ${JSON.stringify(end)}`);
});
