// The Auto engine in Node (no WebGPU): a WebGPU probe that lies sends the timing onto a failing
// GPU engine, and Auto falls back on the CPU with the reason; the run on the kept engine then
// ends with exactly the weights of a run on a fresh CPU engine chosen by hand (same seed), so
// the timing steps leave no trace.
import { describe, expect, it } from 'vitest';
import type { FashionMnist } from '../data/idx';
import { layers, resetNameScope, sequential } from '../model/index';
import type { Engine } from '../model/train/engine';
import { Trainer } from '../model/train/trainer';
import { AUTO_TIMING, autoEngine, timeTraining } from './autoEngine';
import { fashionData } from './datasets';
import { createCpuEngine } from './cpuEngineOptions';
import { buildModel, specFromModel } from './modelSpec';
import { compileArgs } from './run';
import { DEFAULT_SETTINGS, type TrainSettings } from './settings';

const COUNT = 96;
const settings: TrainSettings = { ...DEFAULT_SETTINGS, trainSize: COUNT, validationSplit: 0, batchSize: 16, seed: 7, epochs: 1 };

/** Seeded bytes standing in for Fashion-MNIST (labels follow the mean brightness, so there is something to learn). */
function fakeData(): FashionMnist {
  let s = 12345;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
  const images = Uint8Array.from({ length: COUNT * 784 }, next);
  const labels = Uint8Array.from({ length: COUNT }, (_, i) => images[i * 784]! % 10);
  return { train: { images, labels, count: COUNT }, test: { images, labels, count: COUNT } };
}

resetNameScope();
const net = sequential({ name: 'small' });
net.add(layers.flatten({ inputShape: [28, 28, 1] }));
net.add(layers.dense({ units: 16, activation: 'relu' }));
net.add(layers.dropout({ rate: 0.4 }));
net.add(layers.dense({ units: 10, activation: 'softmax' }));
const spec = specFromModel(net);
const mnist = fakeData();
const data = fashionData(mnist);

/** The worker's run, shortened: fresh initial weights from the seed, one epoch, the final weights. */
async function trainOn(engine: Engine): Promise<Float32Array> {
  const model = buildModel(spec);
  model.initializeWeights(settings.seed);
  const trainer = await Trainer.compile(model, engine, compileArgs(settings));
  const x = { data: mnist.train.images, shape: [COUNT, 28, 28, 1], scale: 1 / 255 };
  const y = { data: mnist.train.labels, shape: [COUNT] };
  await trainer.fit(x, y, { epochs: 1, batchSize: settings.batchSize, seed: settings.seed });
  const params = await engine.readParams();
  trainer.dispose();
  return params;
}

describe('autoEngine', () => {
  it('times real training steps: a positive rate, and the timed copy of the model learns', async () => {
    const model = buildModel(spec);
    model.initializeWeights(settings.seed);
    const before = model.layers[1]!.weights[0]!.values.slice();
    const engine = createCpuEngine();
    const rate = await timeTraining(model, engine, settings, data);
    expect(rate).toBeGreaterThan(0);
    expect(model.layers[1]!.weights[0]!.values).not.toEqual(before);
  });

  it('falls back on the CPU with the reason when WebGPU fails, and the run equals a forced CPU run', async () => {
    const details: string[] = [];
    const { engine, choice } = await autoEngine(() => buildModel(spec), settings, data, { ok: true, adapter: 'Fake GPU' }, (d) => void details.push(d));
    expect(engine.kind).toBe('cpu');
    expect(choice.chosen).toBe('cpu');
    expect(choice.timings.map((t) => [t.kind, t.samplesPerSec === null])).toEqual([['webgpu', true], ['cpu', false]]);
    expect(choice.reason).toMatch(/^CPU [\d.,]+ samples\/s; WebGPU \(Fake GPU\) could not run \(.+\): CPU chosen$/);
    expect(details).toEqual([
      `Timing ${AUTO_TIMING.steps} training steps on WebGPU (Fake GPU) to choose the engine…`,
      `Timing ${AUTO_TIMING.steps} training steps on CPU to choose the engine…`,
    ]);
    const auto = await trainOn(engine);
    const forced = await trainOn(createCpuEngine());
    expect(auto).toEqual(forced);
  });

  it('without WebGPU takes the CPU at once and says why', async () => {
    const { engine, choice } = await autoEngine(() => buildModel(spec), settings, data, { ok: false, reason: 'navigator.gpu is missing.' }, () => {
      throw new Error('nothing to time');
    });
    expect(engine.kind).toBe('cpu');
    expect(choice.reason).toBe('WebGPU is unavailable here (navigator.gpu is missing.): CPU chosen');
  });
});
