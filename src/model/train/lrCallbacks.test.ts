// Learning-rate callbacks, schedules and the CSV log in small fits on the CPU engine, and the
// optimizer options' checks.
import { describe, expect, it } from 'vitest';
import { layers, sequential } from '../index';
import { rng } from '../../../tests/util/check';
import type { Callback } from './callbacks';
import { CpuEngine } from './cpuEngine';
import { CsvLogger, LearningRateScheduler, ReduceLROnPlateau, historyToCsv } from './lrCallbacks';
import { resolveOptimizer, type OptimizerArg } from './optimizerConfig';
import { Trainer } from './trainer';

function data(n = 40) {
  const r = rng(5);
  const x = { data: Float32Array.from({ length: n * 4 }, () => r() * 2 - 1), shape: [n, 4] };
  const y = { data: Uint32Array.from({ length: n }, () => Math.floor(r() * 3)), shape: [n] };
  return { x, y };
}

async function trainer(optimizer: OptimizerArg): Promise<Trainer> {
  const m = sequential({ seed: 2 });
  m.add(layers.dense({ units: 6, activation: 'relu', inputShape: [4] }));
  m.add(layers.dense({ units: 3, activation: 'softmax' }));
  return Trainer.compile(m, new CpuEngine(), { optimizer, loss: 'sparse_categorical_crossentropy' });
}

/** The weights at every epoch end. */
function weightsPerEpoch(): { cb: Callback; seen: Float32Array[] } {
  const seen: Float32Array[] = [];
  return { seen, cb: { onEpochEnd: async (_e, _l, control) => void seen.push(await control.readWeights()) } };
}

describe('learning-rate callbacks on the CPU engine', () => {
  it('ReduceLROnPlateau multiplies the rate by factor after patience epochs, then waits cooldown', async () => {
    const t = await trainer({ kind: 'sgd', learningRate: 0.1 });
    const { x, y } = data();
    // minDelta 10: only the first epoch counts as an improvement.
    const reduce = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2, cooldown: 1, minDelta: 10 });
    const csv = new CsvLogger();
    await t.fit(x, y, { epochs: 6, batchSize: 8, callbacks: [reduce, csv] });
    expect(reduce.reductions).toEqual([
      { epoch: 2, learningRate: 0.05 },
      { epoch: 4, learningRate: 0.025 },
    ]);
    expect(t.engine.getLearningRate()).toBe(0.025);
    expect(csv.rows.map((r) => r.learning_rate)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    const lines = csv.toCsv().trim().split('\n');
    expect(lines[0]).toBe('epoch,learning_rate,loss');
    expect(lines[3]).toMatch(/^2,0\.05,\d/);
  });

  it('ReduceLROnPlateau never goes below minLr and checks its arguments', async () => {
    const t = await trainer({ kind: 'sgd', learningRate: 0.1 });
    const { x, y } = data();
    const reduce = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.1, patience: 1, minLr: 0.02, minDelta: 10 });
    await t.fit(x, y, { epochs: 4, batchSize: 8, callbacks: [reduce] });
    expect(t.engine.getLearningRate()).toBe(0.02);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/factor must be in \[0, 1\)/);
  });

  it('LearningRateScheduler sets each epoch rate: a rate of 0 from epoch 1 leaves the weights as epoch 0 left them', async () => {
    const t = await trainer({ kind: 'sgd', learningRate: 0.1 });
    const { x, y } = data();
    const { cb, seen } = weightsPerEpoch();
    const calls: [number, number][] = [];
    const scheduler = new LearningRateScheduler((epoch, lr) => {
      calls.push([epoch, lr]);
      return epoch === 0 ? lr : 0;
    });
    const history = await t.fit(x, y, { epochs: 3, batchSize: 8, callbacks: [scheduler, cb] });
    expect(calls).toEqual([
      [0, 0.1],
      [1, 0.1],
      [2, 0],
    ]);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    expect(historyToCsv(history).split('\n')[0]).toBe('epoch,loss');
  });

  it('a schedule drives the rate per step: PiecewiseConstantDecay to 0 after 3 steps stops training; callbacks cannot set it', async () => {
    const t = await trainer({ kind: 'adam', learningRate: { className: 'PiecewiseConstantDecay', boundaries: [2], values: [0.01, 0] } });
    const { x, y } = data(24);
    const { cb, seen } = weightsPerEpoch();
    await t.fit(x, y, { epochs: 2, batchSize: 8, callbacks: [cb] });
    // Steps 0..2 use 0.01, the rest 0: the second epoch changes nothing.
    expect(seen[1]).toEqual(seen[0]);
    const before = await t.engine.readParams();
    expect(before).not.toEqual((await trainer({ kind: 'adam' })).packWeights());
    expect(() => t.engine.setLearningRate(0.1)).toThrow(/follows a PiecewiseConstantDecay schedule/);
  });

  it('weight decay takes w * weightDecay * lr off before the update (one SGD step with and without)', async () => {
    const { x, y } = data(8);
    const [plain, decayed] = [await trainer({ kind: 'sgd', learningRate: 0.1 }), await trainer({ kind: 'sgd', learningRate: 0.1, weightDecay: 0.5 })];
    const w0 = await plain.engine.readParams();
    await plain.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false });
    await decayed.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false });
    const [a, b] = [await plain.engine.readParams(), await decayed.engine.readParams()];
    a.forEach((v, i) => expect(v - b[i]).toBeCloseTo(w0[i] * 0.05, 6));
  });
});

describe('optimizer options', () => {
  it('resolves Keras defaults for every optimizer', () => {
    expect(resolveOptimizer('adamw')).toMatchObject({ kind: 'adamw', learningRate: 0.001, weightDecay: 0.004, beta1: 0.9, amsgrad: false });
    expect(resolveOptimizer('adagrad')).toMatchObject({ initialAccumulatorValue: 0.1, epsilon: 1e-7, weightDecay: 0 });
    expect(resolveOptimizer('adadelta')).toMatchObject({ learningRate: 0.001, rho: 0.95 });
    expect(resolveOptimizer({ kind: 'nadam', clipnorm: null })).toMatchObject({ clipnorm: 0, beta2: 0.999 });
  });

  it('refuses bad options with the fix', () => {
    expect(() => resolveOptimizer({ kind: 'adam', clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and globalClipnorm/);
    expect(() => resolveOptimizer({ kind: 'sgd', rho: 0.9 } as unknown as OptimizerArg)).toThrow(/optimizer 'sgd': unknown option 'rho'; it takes learningRate, momentum, nesterov/);
    expect(() => resolveOptimizer({ kind: 'adam', weightDecay: -1 })).toThrow(/weightDecay must be a number >= 0/);
    expect(() => resolveOptimizer({ kind: 'sgd', learningRate: { className: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 } })).toThrow(/decaySteps must be > 0/);
    expect(() => resolveOptimizer({ kind: 'sgd', learningRate: { className: 'PiecewiseConstantDecay', boundaries: [1, 2], values: [1, 2] } })).toThrow(/one more entry than boundaries/);
    expect(() => resolveOptimizer('lion' as OptimizerArg)).toThrow(/Unknown optimizer "lion"/);
  });
});
