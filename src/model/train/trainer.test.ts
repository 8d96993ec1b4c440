// The Keras-style training API on the CPU engine: the fast ops agree with the references, the
// Sequential and functional seed CNNs are the same model, fit/evaluate/predict behave like Keras.
import { describe, expect, it } from 'vitest';
import { input, layers, model, resetNameScope, sequential, type Model } from '../index';
import { seedCnn, seedCnnFunctional } from '../examples';
import { assertClose, rng } from '../../../tests/util/check';
import { EarlyStopping, type Logs, type TrainingControl } from './callbacks';
import { CpuEngine } from './cpuEngine';
import { fastOps, referenceOps } from './cpuOps';
import type { HostTensor } from './engine';
import { buildProgram, paramLayout } from './plan';
import { NonFiniteLossError, Trainer } from './trainer';

/** Images whose label is the quadrant holding the brightest blob: learnable by a small CNN. */
function blobs(n: number, size: number, seed: number): { x: HostTensor; y: HostTensor } {
  const r = rng(seed);
  const data = new Uint8Array(n * size * size);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const q = Math.floor(r() * 4);
    labels[i] = q;
    const cy = (q >> 1) * (size / 2) + Math.floor(r() * (size / 2));
    const cx = (q & 1) * (size / 2) + Math.floor(r() * (size / 2));
    for (let p = 0; p < size * size; p++) data[i * size * size + p] = Math.floor(r() * 60);
    data[i * size * size + cy * size + cx] = 255;
  }
  return { x: { data, shape: [n, size, size, 1], scale: 1 / 255 }, y: { data: labels, shape: [n] } };
}

function smallCnn(seed: number): Model {
  const m = sequential({ seed });
  m.add(layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [8, 8, 1] }));
  m.add(layers.maxPooling2d({ poolSize: 2 }));
  m.add(layers.flatten());
  m.add(layers.dense({ units: 16, activation: 'relu' }));
  m.add(layers.dropout({ rate: 0.2 }));
  m.add(layers.dense({ units: 4, activation: 'softmax' }));
  return m;
}

const compileArgs = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] } as const;

describe('CPU engine', () => {
  it('fast ops give the reference gradients on a CNN with strides, both paddings and average pooling', async () => {
    const img = input({ shape: [9, 7, 3] });
    let x = layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(img);
    x = layers.averagePooling2d({ poolSize: 2, padding: 'same' }).apply(x);
    x = layers.conv2d({ filters: 4, kernelSize: [2, 1], padding: 'valid', activation: 'tanh' }).apply(x);
    x = layers.maxPooling2d({ poolSize: 2, strides: 1 }).apply(layers.conv2d({ filters: 3, kernelSize: 1, activation: 'sigmoid' }).apply(x));
    const m = model({ inputs: img, outputs: layers.dense({ units: 3, activation: 'softmax' }).apply(layers.flatten().apply(x)), seed: 4 });
    const layout = paramLayout(m);
    const program = buildProgram(m, layout, { batch: 3, training: true, losses: [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true }], update: false });
    const r = rng(8);
    const data = { inputs: [{ data: Float32Array.from({ length: 3 * 9 * 7 * 3 }, () => r() * 2 - 1), shape: [3, 9, 7, 3] }], targets: [{ data: Uint32Array.of(0, 2, 1), shape: [3] }] };
    const grads = [];
    for (const ops of [referenceOps, fastOps()]) {
      const t = await Trainer.compile(m, new CpuEngine(ops), compileArgs);
      await t.engine.attach(data);
      (await t.engine.compile(program)).run(Uint32Array.of(0, 1, 2));
      grads.push(await t.engine.readGrads());
    }
    assertClose(grads[1], grads[0], { atol: 1e-5, rtol: 1e-4 }, 'fast vs reference gradients');
  });

  it('the seed CNN built with the Sequential and the functional API trains to identical losses', async () => {
    const r = rng(1);
    const n = 40;
    const x = { data: Uint8Array.from({ length: n * 784 }, () => Math.floor(r() * 256)), shape: [n, 28, 28, 1], scale: 1 / 255 };
    const y = { data: Uint8Array.from({ length: n }, () => Math.floor(r() * 10)), shape: [n] };
    const histories = [];
    for (const build of [seedCnn, seedCnnFunctional]) {
      resetNameScope();
      const m = build();
      m.initializeWeights(42);
      const t = await Trainer.compile(m, new CpuEngine(), compileArgs);
      histories.push(await t.fit(x, y, { epochs: 2, batchSize: 16, seed: 3 }));
    }
    expect(histories[0].history.loss).toEqual(histories[1].history.loss);
    expect(histories[0].history.loss[1]).toBeLessThan(histories[0].history.loss[0]);
  });
});

describe('Trainer (Keras-style fit/evaluate/predict)', () => {
  it('fit learns a learnable problem, with Keras metric names, validation split and History', async () => {
    const { x, y } = blobs(600, 8, 1);
    const t = await Trainer.compile(smallCnn(1), new CpuEngine(), { ...compileArgs, optimizer: { kind: 'adam', learningRate: 0.01 } });
    const batchEnds: number[] = [];
    const h = await t.fit(x, y, { epochs: 6, batchSize: 32, validationSplit: 0.2, callbacks: [{ onBatchEnd: (b) => void batchEnds.push(b) }] });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(h.epoch).toEqual([0, 1, 2, 3, 4, 5]);
    expect(h.history.loss[5]).toBeLessThan(0.6 * h.history.loss[0]);
    expect(h.history.val_accuracy[5]).toBeGreaterThan(0.8);
    // 480 training samples at batch 32: 15 steps per epoch, the last one included.
    expect(batchEnds.filter((b) => b === 14).length).toBe(6);
    const test = blobs(200, 8, 2);
    const logs = await t.evaluate(test.x, test.y, { batchSize: 64 });
    expect(logs.accuracy).toBeGreaterThan(0.8);
    // predict returns probabilities whose argmax gives the same accuracy as evaluate.
    const [probs] = await t.predict(test.x, { batchSize: 48 });
    let correct = 0;
    for (let i = 0; i < 200; i++) {
      const row = Array.from(probs.subarray(i * 4, i * 4 + 4));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (row.indexOf(Math.max(...row)) === test.y.data[i]) correct++;
    }
    expect(correct / 200).toBeCloseTo(logs.accuracy, 5);
  });

  it('is deterministic under a seed', async () => {
    const { x, y } = blobs(128, 8, 3);
    const runs = [];
    for (let k = 0; k < 2; k++) {
      const t = await Trainer.compile(smallCnn(5), new CpuEngine(), compileArgs);
      runs.push((await t.fit(x, y, { epochs: 2, batchSize: 16, seed: 9 })).history.loss);
    }
    expect(runs[0]).toEqual(runs[1]);
  });

});

describe('Trainer: callbacks, stop() and non-finite losses', () => {
  it('EarlyStopping restores the best weights when training ends, stopped early or not', async () => {
    const { x, y } = blobs(200, 8, 4);
    const m = smallCnn(2);
    const t = await Trainer.compile(m, new CpuEngine(), { ...compileArgs, optimizer: { kind: 'adam', learningRate: 0.05 } });
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    const valLosses: number[] = [];
    await t.fit(x, y, { epochs: 8, batchSize: 20, validationSplit: 0.25, callbacks: [es, { onEpochEnd: (_e, logs: Logs) => void valLosses.push(logs.val_loss) }] });
    const best = Math.min(...valLosses);
    expect(es.bestEpoch).toBe(valLosses.indexOf(best));
    // The model now holds the best epoch's weights: evaluating the validation part gives its loss.
    const val = { x: { ...x, data: x.data.subarray(150 * 64), shape: [50, 8, 8, 1] }, y: { data: y.data.subarray(150), shape: [50] } };
    const logs = await t.evaluate(val.x, val.y);
    expect(logs.loss).toBeCloseTo(best, 4);
  });

  it('stop() from outside ends fit after the current step, and a NaN loss stops with the step named', async () => {
    const { x, y } = blobs(320, 8, 5);
    const t = await Trainer.compile(smallCnn(3), new CpuEngine(), compileArgs);
    let seen = 0;
    const h = await t.fit(x, y, { epochs: 3, batchSize: 32, callbacks: [{ onBatchEnd: () => void (++seen === 4 && t.stop()) }] });
    expect(seen).toBe(4);
    expect(h.epoch).toEqual([]);
    const blowUp = await Trainer.compile(smallCnn(3), new CpuEngine(), { ...compileArgs, optimizer: { kind: 'sgd', learningRate: 1e30 } });
    await expect(blowUp.fit(x, y, { epochs: 2, batchSize: 32 })).rejects.toThrow(NonFiniteLossError);
  });

  it('a NaN loss from a huge learning rate stops with the step named and keeps the last good weights', async () => {
    const { x, y } = blobs(320, 8, 5);
    for (const keepWeights of ['log', 'epoch'] as const) {
      const t = await Trainer.compile(smallCnn(3), new CpuEngine(), { ...compileArgs, optimizer: { kind: 'sgd', learningRate: 1e30 } });
      const initial = t.packWeights();
      const error = await t.fit(x, y, { epochs: 2, batchSize: 32, logEvery: 1, keepWeights }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(NonFiniteLossError);
      const nan = error as NonFiniteLossError;
      expect(nan.message).toMatch(/the loss became (NaN|Infinity) in epoch 1 by step \d+\. Lower the learning rate/);
      expect(nan.at.epoch).toBe(1);
      // The weights a finite loss was computed with: the initial ones, or (reading every step) later ones.
      expect(nan.kept.step).toBeLessThan(nan.at.step);
      if (keepWeights === 'epoch') expect(nan.kept).toEqual({ epoch: 1, step: 0 });
      const kept = t.packWeights();
      expect(kept.every(Number.isFinite)).toBe(true);
      expect(await t.engine.readParams()).toEqual(kept);
      if (nan.kept.step === 0) expect(kept).toEqual(initial);
      else expect(kept).not.toEqual(initial);
    }
  });

  it('keepWeights epoch: a NaN in epoch 2 puts back the weights of the end of epoch 1', async () => {
    const { x, y } = blobs(128, 8, 8);
    const t = await Trainer.compile(smallCnn(2), new CpuEngine(), compileArgs);
    let endOfEpoch1: Float32Array | null = null;
    const poison = {
      onEpochEnd: async (_e: number, _l: Logs, control: TrainingControl) => void (endOfEpoch1 ??= await control.readWeights()),
      // After a finite loss in epoch 2 vouched for the epoch-1 copy, weights go bad (as a blow-up would).
      onBatchEnd: (batch: number, _l: Logs, control: TrainingControl) => {
        if (endOfEpoch1 && batch === 1) control.writeWeights(new Float32Array(t.layout.size).fill(NaN));
      },
    };
    const error = (await t.fit(x, y, { epochs: 3, batchSize: 32, logEvery: 1, callbacks: [poison] }).catch((e: unknown) => e)) as NonFiniteLossError;
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect(error.at).toEqual({ epoch: 2, step: 3 });
    expect(error.kept).toEqual({ epoch: 1, step: 4 });
    expect(t.packWeights()).toEqual(endOfEpoch1);
    expect(await t.engine.readParams()).toEqual(endOfEpoch1);
  });

});

describe('Trainer: argument checks', () => {
  it('rejects bad training settings before any engine work', async () => {
    const { x, y } = blobs(64, 8, 6);
    const calls: string[] = [];
    const engine = new CpuEngine();
    // Records every engine call made after compile.
    const spy = new Proxy(engine, {
      get: (target, key, receiver) => {
        const v = Reflect.get(target, key, receiver);
        return typeof v === 'function' ? (...a: unknown[]) => (calls.push(String(key)), v.apply(target, a)) : v;
      },
    });
    const t = await Trainer.compile(smallCnn(1), spy, compileArgs);
    calls.length = 0;
    const bad: [object, RegExp][] = [
      [{ batchSize: 0 }, /batchSize must be a positive integer, got 0/],
      [{ batchSize: 65 }, /batchSize 65 is larger than the 64 training samples; use at most 64/],
      [{ batchSize: 60, validationSplit: 0.5 }, /batchSize 60 is larger than the 32 training samples/],
      [{ epochs: 0 }, /epochs must be a positive integer, got 0/],
      [{ epochs: -2 }, /epochs must be a positive integer/],
      [{ epochs: 1.5 }, /epochs must be a positive integer/],
      [{ epochs: '3' }, /epochs must be a positive integer, got "3"/],
      [{ validationSplit: 1 }, /validationSplit must be in \[0, 1\)/],
      [{ validationSplit: -0.1 }, /validationSplit must be in \[0, 1\)/],
      [{ validationSplit: NaN }, /validationSplit must be in \[0, 1\)/],
      [{ validationSplit: 0.999 }, /validationSplit 0.999 of 64 samples leaves no training or no validation samples/],
      [{ keepWeights: 'always' }, /keepWeights must be 'epoch' or 'log'/],
    ];
    for (const [args, message] of bad) await expect(t.fit(x, y, args as never)).rejects.toThrow(message);
    expect(calls).toEqual([]);
    for (const learningRate of [0, -1, NaN, Infinity, '0.1']) {
      const fresh = new Proxy(new CpuEngine(), { get: (target, key) => (key === 'init' ? () => calls.push('init') : Reflect.get(target, key)) });
      await expect(Trainer.compile(smallCnn(1), fresh, { ...compileArgs, optimizer: { kind: 'adam', learningRate: learningRate as number } })).rejects.toThrow(/learningRate must be a positive number/);
    }
    expect(calls).toEqual([]);
  });

  it('rejects bad settings before any work, with the fix in the message', async () => {
    const { x, y } = blobs(64, 8, 6);
    const t = await Trainer.compile(smallCnn(1), new CpuEngine(), compileArgs);
    await expect(t.fit(x, y, { batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
    await expect(t.fit(x, y, { batchSize: 65 })).rejects.toThrow(/larger than the 64 training samples/);
    await expect(t.fit(x, y, { epochs: 1.5 })).rejects.toThrow(/epochs must be a positive integer/);
    await expect(t.fit(x, y, { validationSplit: 1 })).rejects.toThrow(/validationSplit must be in \[0, 1\)/);
    await expect(t.fit({ ...x, shape: [64, 8, 8, 2], data: new Uint8Array(64 * 128) }, y)).rejects.toThrow(/expects samples of shape \[8, 8, 1\]/);
    await expect(Trainer.compile(smallCnn(1), new CpuEngine(), { ...compileArgs, optimizer: { kind: 'adam', learningRate: -1 } })).rejects.toThrow(/learningRate must be a positive number/);
    await expect(Trainer.compile(smallCnn(1), new CpuEngine(), { loss: 'squared_hinge' as never })).rejects.toThrow(/unknown loss "squared_hinge"/);
  });
});
