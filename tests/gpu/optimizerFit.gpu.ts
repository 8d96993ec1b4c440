// The new optimizers inside a Trainer fit on the WebGPU engine: the same fit on the CPU engine
// (reference ops) ends with the same weights, with a schedule changing the rate every step, a
// last partial batch (a second compiled step with its own uniforms), clipping, weight decay and
// ReduceLROnPlateau / LearningRateScheduler changing the rate between epochs.
import { layers, sequential } from '../../src/model/index';
import { CpuEngine } from '../../src/model/train/cpuEngine';
import { referenceOps } from '../../src/model/train/cpuOps';
import type { Callback } from '../../src/model/train/callbacks';
import type { Engine } from '../../src/model/train/engine';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { LearningRateScheduler, ReduceLROnPlateau } from '../../src/model/train/lrCallbacks';
import type { OptimizerArg } from '../../src/model/train/optimizerConfig';
import { Trainer } from '../../src/model/train/trainer';
import { assertClose, rng } from '../util/check';
import { gpuTest } from './harness';

function net() {
  const m = sequential({ seed: 4 });
  m.add(layers.dense({ units: 9, activation: 'relu', inputShape: [5] }));
  m.add(layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}

async function fitOn(engine: Engine, optimizer: OptimizerArg, callbacks: () => Callback[]): Promise<{ params: Float32Array; lr: number }> {
  const r = rng(9);
  const n = 45;
  const x = { data: Float32Array.from({ length: n * 5 }, () => r() * 2 - 1), shape: [n, 5] };
  const y = { data: Uint32Array.from({ length: n }, () => Math.floor(r() * 3)), shape: [n] };
  const t = await Trainer.compile(net(), engine, { optimizer, loss: 'sparse_categorical_crossentropy' });
  await t.fit(x, y, { epochs: 4, batchSize: 10, seed: 1, callbacks: callbacks() });
  const out = { params: await engine.readParams(), lr: engine.getLearningRate() };
  t.dispose();
  engine.dispose();
  return out;
}

const cases: { optimizer: OptimizerArg; callbacks: () => Callback[] }[] = [
  { optimizer: { kind: 'nadam', learningRate: { className: 'CosineDecay', initialLearningRate: 0.05, decaySteps: 12, warmupTarget: 0.1, warmupSteps: 3 } }, callbacks: () => [] },
  { optimizer: { kind: 'adamw', learningRate: 0.02, amsgrad: true, globalClipnorm: 0.5 }, callbacks: () => [new ReduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, minDelta: 10 })] },
  { optimizer: { kind: 'adagrad', learningRate: 0.1, clipnorm: 0.3, weightDecay: 0.01 }, callbacks: () => [new LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr / 4))] },
  { optimizer: { kind: 'adadelta', learningRate: 1, clipvalue: 0.05 }, callbacks: () => [] },
  { optimizer: { kind: 'adamax', learningRate: { className: 'InverseTimeDecay', initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5, staircase: true } }, callbacks: () => [] },
];

for (const c of cases) {
  gpuTest(`optimizer fit ${JSON.stringify(c.optimizer)}: WebGPU engine = CPU engine`, async () => {
    const gpu = await fitOn(await GpuEngine.create(), c.optimizer, c.callbacks);
    const cpu = await fitOn(new CpuEngine(referenceOps), c.optimizer, c.callbacks);
    assertClose(gpu.params, cpu.params, { atol: 2e-5, rtol: 2e-4 }, 'weights after 4 epochs of 5 steps');
    assertClose([gpu.lr], [cpu.lr], { atol: 0, rtol: 1e-7 }, 'learning rate after the fit');
  });
}
