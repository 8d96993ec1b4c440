// Faults and long runs on the WebGPU engine: a batch over the adapter's limits is refused with
// the batch that fits; stopping and restarting 50 times, and 5 epochs, leave GPU memory where it
// started; a device destroyed mid-epoch moves the run to a new device from its last checkpoint,
// and the resumed run ends with the weights of a run that was never interrupted.
import type { FashionMnist } from '../../src/data/idx';
import { GpuRuntime } from '../../src/gpu/runtime';
import { layers, sequential, type Model } from '../../src/model/index';
import { BatchTooLargeError } from '../../src/model/train/batchLimit';
import type { CompiledStep, DataSet, Engine } from '../../src/model/train/engine';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { NonFiniteLossError, Trainer } from '../../src/model/train/trainer';
import type { FromWorker } from '../../src/worker/protocol';
import { compileRun, type TrainingRun } from '../../src/worker/run';
import { DEFAULT_SETTINGS, type TrainSettings } from '../../src/worker/settings';
import { fashionData } from '../../src/worker/datasets';
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

/** 28x28 images of random noise with random labels: enough to train on, in Fashion-MNIST's shape. */
function fakeFashion(train: number, test: number): FashionMnist {
  const split = (count: number, seed: number) => {
    const r = rng(seed);
    return { images: Uint8Array.from({ length: count * 784 }, () => Math.floor(r() * 256)), labels: Uint8Array.from({ length: count }, () => Math.floor(r() * 10)), count };
  };
  return { train: split(train, 1), test: split(test, 2) };
}

/** The engine, with every training step counted and `actions[n]` called before step n. */
function onSteps(engine: GpuEngine, actions: Record<number, () => void>): Engine {
  let steps = 0;
  return new Proxy(engine, {
    get: (target, key) => {
      if (key !== 'compile') {
        const v = Reflect.get(target, key, target);
        return typeof v === 'function' ? v.bind(target) : v;
      }
      return async (program: CompiledStep['program']) => {
        const step = await target.compile(program);
        if (!program.training) return step;
        const run = step.run.bind(step);
        step.run = (indices) => {
          actions[++steps]?.();
          run(indices);
        };
        return step;
      };
    },
  });
}

const FAULT_SETTINGS: TrainSettings = { ...DEFAULT_SETTINGS, epochs: 3, batchSize: 32, trainSize: 256, validationSplit: 0, testSize: 40, learningRate: 0.01, seed: 4 };
const STEPS_PER_EPOCH = 256 / 32;

/** A worker training run on fake Fashion-MNIST, recording its messages; a lost device moves it to a new GpuEngine. */
async function startRun(engine: Engine, onMessage: (m: FromWorker, run: () => TrainingRun) => void = () => undefined) {
  const messages: FromWorker[] = [];
  const model = tinyCnn(28, 5);
  let run: TrainingRun | null = null;
  run = await compileRun(model, FAULT_SETTINGS, fashionData(fakeFashion(256, 40)), engine, (m) => {
    messages.push(m);
    onMessage(m, () => run!);
  }, () => GpuEngine.create());
  run.pushWeights();
  return { run, messages, model };
}

const deviceErrors = (messages: FromWorker[]) => messages.filter((m): m is Extract<FromWorker, { type: 'error' }> => m.type === 'error');
const allWeights = (m: Model) => Float32Array.from(m.getWeights().flatMap((w) => [...w]));

gpuTest('reliability: a device destroyed mid-epoch resumes on a new device from the epoch checkpoint, ending with the uninterrupted weights', async () => {
  const start = startRun;
  const stepsPerEpoch = STEPS_PER_EPOCH;

  // The reference: paused exactly at the end of epoch 1, then resumed, never losing its device.
  const ref = await start(await GpuEngine.create(), (m, run) => {
    if (m.type === 'epoch' && m.point.epoch === 1) run().pause();
  });
  await ref.run.fit();
  check(ref.run.phase === 'paused', `the reference run is ${ref.run.phase}, not paused`);

  // The faulty run: its device is destroyed in the middle of epoch 2.
  const ownRt = await GpuRuntime.create();
  const lostEngine = await GpuEngine.create(ownRt);
  const x = await start(onSteps(lostEngine, { [stepsPerEpoch + 4]: () => lostEngine.rt.device.destroy() }));
  await x.run.fit();
  const errors = deviceErrors(x.messages);
  check(errors.length === 1 && errors[0]!.kind === 'device', `errors: ${JSON.stringify(errors)}`);
  check(/The GPU device was lost \(it was destroyed.*from the end of epoch 1; press Resume/.test(errors[0]!.message), errors[0]!.message);
  check(x.run.phase === 'paused', `after the loss the run is ${x.run.phase}, not paused`);
  check(lostEngine.rt.isLost && !(x.run.engine as GpuEngine).rt.isLost, 'the run is still on the lost device');
  const checkpoint = x.run.lastCheckpoint!;
  check(checkpoint.completedEpochs === 1, `checkpoint after ${checkpoint.completedEpochs} epochs`);
  // The new device holds exactly the checkpoint, which is the reference's end of epoch 1.
  const restored = await x.run.engine.readState();
  assertClose(restored.params, checkpoint.state.params, { atol: 0, rtol: 0 }, 'weights on the new device');
  assertClose(restored.slots, checkpoint.state.slots, { atol: 0, rtol: 0 }, 'optimizer state on the new device');
  assertClose(restored.counters, checkpoint.state.counters, { atol: 0, rtol: 0 }, 'optimizer counters on the new device');
  const refCheckpoint = ref.run.lastCheckpoint!;
  assertClose(checkpoint.state.params, refCheckpoint.state.params, { atol: 1e-6, rtol: 1e-5 }, 'checkpoint vs the reference after epoch 1');

  // Resume both: the same epochs 2 and 3 from the same state.
  await Promise.all([x.run.fit(), ref.run.fit()]);
  const phases = [x.run, ref.run].map((r): string => r.phase);
  check(phases.every((p) => p === 'done'), `phases after resuming: ${phases.join(', ')}`);
  const epochs = x.messages.filter((m) => m.type === 'epoch').map((m) => (m as Extract<FromWorker, { type: 'epoch' }>).point.epoch);
  check(JSON.stringify(epochs) === '[1,2,3]', `epoch points ${JSON.stringify(epochs)}`);
  assertClose(allWeights(x.model), allWeights(ref.model), { atol: 1e-5, rtol: 1e-4 }, 'final weights vs the uninterrupted run');
  x.run.dispose();
  ref.run.dispose();
  ownRt.device.destroy();
});

gpuTest('reliability: a device lost after a mid-epoch Pause resumes from the Pause checkpoint, ending with the weights of a plain Pause/Resume', async () => {
  // Both runs pause before step 12 (epoch 2, step 4); the faulty one loses its device 2 steps after resuming.
  const pauseAt = STEPS_PER_EPOCH + 4;
  let refRun: TrainingRun | null = null;
  const ref = await startRun(onSteps(await GpuEngine.create(), { [pauseAt]: () => refRun!.pause() }));
  refRun = ref.run;
  const ownRt = await GpuRuntime.create();
  const lostEngine = await GpuEngine.create(ownRt);
  let xRun: TrainingRun | null = null;
  const x = await startRun(onSteps(lostEngine, { [pauseAt]: () => xRun!.pause(), [pauseAt + 2]: () => lostEngine.rt.device.destroy() }));
  xRun = x.run;
  await Promise.all([x.run.fit(), ref.run.fit()]);
  const phases = () => [x.run, ref.run].map((r): string => r.phase).join(', ');
  check(phases() === 'paused, paused', `after Pause: ${phases()}`);
  const paused = x.run.lastCheckpoint!;
  check(paused.completedEpochs === 1 && paused.resumeStep === 4, `Pause checkpoint at ${paused.completedEpochs} epochs + ${paused.resumeStep} steps`);
  await x.run.fit();
  const errors = deviceErrors(x.messages);
  check(errors.length === 1 && /from epoch 2, step 4, where it was paused; press Resume/.test(errors[0]!.message), `errors: ${JSON.stringify(errors)}`);
  check(x.run.phase === 'paused' && lostEngine.rt.isLost, `after the loss: ${x.run.phase}`);
  assertClose((await x.run.engine.readState()).params, paused.state.params, { atol: 0, rtol: 0 }, 'weights on the new device vs the Pause checkpoint');
  await Promise.all([x.run.fit(), ref.run.fit()]);
  check(phases() === 'done, done', `after Resume: ${phases()}`);
  assertClose(allWeights(x.model), allWeights(ref.model), { atol: 1e-5, rtol: 1e-4 }, 'final weights vs the run that only paused');
  x.run.dispose();
  ref.run.dispose();
  ownRt.device.destroy();
});
