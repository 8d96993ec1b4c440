// A lost GPU device, in the worker's training run: the run moves to a new device and waits
// paused at the newest point it has, the same way a reloaded page resumes: its last backup read
// back from IndexedDB, or, where none was stored, its last snapshot in memory (a Pause takes
// one). Resumed, it ends with the weights of a run that was never interrupted (within the
// GPU-vs-CPU tolerance), as does a fresh run (a restarted worker) resumed from the same backup.
import type { FashionMnist } from '../../src/data/idx';
import { GpuRuntime } from '../../src/gpu/runtime';
import { layers, sequential, type Model } from '../../src/model/index';
import type { CompiledStep, Engine } from '../../src/model/train/engine';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { fashionData } from '../../src/worker/datasets';
import { specFromModel } from '../../src/worker/modelSpec';
import type { FromWorker } from '../../src/worker/protocol';
import { compileRun, type TrainingRun } from '../../src/worker/run';
import { newestBackup, RunBackup } from '../../src/worker/runBackup';
import { DEFAULT_SETTINGS, type TrainSettings } from '../../src/worker/settings';
import { assertClose, rng } from '../util/check';
import { gpuTest } from './harness';

const SETTINGS: TrainSettings = { ...DEFAULT_SETTINGS, epochs: 3, batchSize: 32, trainSize: 256, validationSplit: 0, testSize: 40, learningRate: 0.01, seed: 4 };
const STEPS_PER_EPOCH = 256 / 32;
const TOL = { atol: 1e-5, rtol: 1e-4 };

function tinyCnn(): Model {
  const m = sequential({ seed: 5 });
  m.add(layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [28, 28, 1] }));
  m.add(layers.maxPooling2d({ poolSize: 4 }));
  m.add(layers.flatten());
  m.add(layers.dropout({ rate: 0.25 }));
  m.add(layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

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

/** A worker training run on fake Fashion-MNIST, recording its messages; a lost device moves it to a new GpuEngine. */
async function startRun(engine: Engine) {
  const messages: FromWorker[] = [];
  const model = tinyCnn();
  const run = await compileRun(model, SETTINGS, fashionData(fakeFashion(256, 40)), engine, (m) => void messages.push(m), () => GpuEngine.create());
  run.pushWeights();
  return { run, messages, model };
}

const errorsOf = (messages: FromWorker[]) => messages.flatMap((m) => (m.type === 'error' ? [m] : []));
const epochsOf = (messages: FromWorker[]) => messages.flatMap((m) => (m.type === 'epoch' ? [m.point.epoch] : []));
const phaseOf = (run: TrainingRun): string => run.phase;
const allWeights = (m: Model) => Float32Array.from(m.getWeights().flatMap((w) => [...w]));

/** The weights of the run never interrupted. */
async function uninterrupted(): Promise<Float32Array> {
  const ref = await startRun(await GpuEngine.create());
  await ref.run.fit();
  check(ref.run.phase === 'done', `the reference run is ${ref.run.phase}`);
  const w = allWeights(ref.model);
  ref.run.dispose();
  return w;
}

gpuTest('device lost: a run destroyed mid-epoch resumes on a new device from its last IndexedDB backup, ending with the uninterrupted weights', async () => {
  const expected = await uninterrupted();
  const ownRt = await GpuRuntime.create();
  const lostEngine = await GpuEngine.create(ownRt);
  // Destroyed before step 13: epoch 2, 4 steps done; a backup every 3 steps, the last at epoch 2, step 3.
  const x = await startRun(onSteps(lostEngine, { [STEPS_PER_EPOCH + 5]: () => lostEngine.rt.device.destroy() }));
  const runId = crypto.randomUUID();
  const policy = { everySteps: 3, everySeconds: 0 };
  const backup = await RunBackup.open(runId, specFromModel(x.model), SETTINGS, 'webgpu', () => undefined, null, policy);
  check(backup !== null, 'no IndexedDB backups in this page');
  x.run.useBackup(backup);
  await x.run.fit();
  const errors = errorsOf(x.messages);
  check(errors.length === 1 && errors[0]!.kind === 'device', `errors: ${JSON.stringify(errors)}`);
  check(/The GPU device was lost \(it was destroyed.*from its last backup \(epoch 2, step 3\); press Resume/.test(errors[0]!.message), errors[0]!.message);
  check(x.run.phase === 'paused' && lostEngine.rt.isLost && !(x.run.engine as GpuEngine).rt.isLost, `after the loss: ${x.run.phase}, still on the lost device: ${(x.run.engine as GpuEngine).rt.isLost}`);
  // The new device holds exactly what IndexedDB holds: the reload path's starting point.
  const stored = (await newestBackup(runId))!;
  check(stored.snapshot.epoch === 1 && stored.snapshot.step === 3 && stored.meta.fitBase === 0, `stored backup at ${stored.snapshot.epoch}:${stored.snapshot.step}`);
  const state = await x.run.engine.readState();
  assertClose(state.params, stored.snapshot.engine.params, { atol: 0, rtol: 0 }, 'weights on the new device vs the stored backup');
  assertClose(state.slots, stored.snapshot.engine.slots, { atol: 0, rtol: 0 }, 'optimizer slots on the new device vs the stored backup');

  // A restarted worker (a fresh run, another device) resumed from the same stored backup.
  const fresh = await startRun(await GpuEngine.create());
  const other = await RunBackup.open(crypto.randomUUID(), specFromModel(fresh.model), SETTINGS, 'webgpu', () => undefined, stored, policy);
  fresh.run.useBackup(other!, { snapshot: stored.snapshot, fitBase: stored.meta.fitBase });

  await Promise.all([x.run.fit(), fresh.run.fit()]);
  check(phaseOf(x.run) === 'done' && phaseOf(fresh.run) === 'done', `after Resume: ${x.run.phase}, ${fresh.run.phase}`);
  check(JSON.stringify(epochsOf(x.messages)) === '[1,2,3]', `epoch points ${JSON.stringify(epochsOf(x.messages))}`);
  assertClose(allWeights(x.model), expected, TOL, 'final weights after the lost device vs the uninterrupted run');
  assertClose(allWeights(fresh.model), expected, TOL, 'final weights of the restarted worker vs the uninterrupted run');
  check((await newestBackup(runId)) === null, 'the finished run left its backups');
  x.run.dispose();
  fresh.run.dispose();
  ownRt.device.destroy();
});

gpuTest('device lost: without stored backups, a loss after a mid-epoch Pause resumes from the Pause snapshot in memory; Pause/Resume ends as the uninterrupted run', async () => {
  const expected = await uninterrupted();
  // Paused during step 12 (epoch 2, step 4); the device is destroyed before step 14, 2 steps after Resume.
  const pauseAt = STEPS_PER_EPOCH + 4;
  const ownRt = await GpuRuntime.create();
  const lostEngine = await GpuEngine.create(ownRt);
  let xRun: TrainingRun | null = null;
  const x = await startRun(onSteps(lostEngine, { [pauseAt]: () => xRun!.pause(), [pauseAt + 2]: () => lostEngine.rt.device.destroy() }));
  xRun = x.run;
  await x.run.fit();
  check(x.run.phase === 'paused', `after Pause: ${x.run.phase}`);
  const paused = x.run.lastSnapshot!;
  check(paused.fitBase + paused.snapshot.epoch === 1 && paused.snapshot.step === 4, `Pause snapshot at ${paused.snapshot.epoch}:${paused.snapshot.step}`);
  await x.run.fit();
  const errors = errorsOf(x.messages);
  check(errors.length === 1 && /from its last snapshot in memory \(epoch 2, step 4\); press Resume/.test(errors[0]!.message), `errors: ${JSON.stringify(errors)}`);
  check(x.run.phase === 'paused' && lostEngine.rt.isLost, `after the loss: ${x.run.phase}`);
  assertClose((await x.run.engine.readState()).params, paused.snapshot.engine.params, { atol: 0, rtol: 0 }, 'weights on the new device vs the Pause snapshot');
  await x.run.fit();
  check(phaseOf(x.run) === 'done', `after Resume: ${x.run.phase}`);
  assertClose(allWeights(x.model), expected, TOL, 'final weights vs the uninterrupted run');
  x.run.dispose();
  ownRt.device.destroy();
});
