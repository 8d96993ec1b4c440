// Normalization against Keras 3.15.1 (tests/fixtures/keras/make_bn.py, fixtures in keras/bn/): configs with given mean
// and variance (no weights) and adapted ones (mean, variance, count non-trainable), summaries
// character for character, adapt() as Keras computed it, and the output
// (x - mean) / max(sqrt(variance), 1e-7) on the CPU engine for both kinds; bad options refused.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromJSON, input, layers, model, modelToJSONString, resetNameScope, toKerasPython, type Model } from '../index.ts';
import { CpuEngine } from '../train/cpuEngine.ts';
import { assertClose, randomArray } from '../../../tests/util/check.ts';
import { predictOn } from '../../../tests/util/layerContract.ts';
import { checkGradients } from '../../../tests/util/gradcheck.ts';

const DIR = new URL('../../../tests/fixtures/keras/bn/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');
const load = (file: string): Model => {
  resetNameScope();
  return fromJSON(read(file));
};

/** (x - mean) / max(sqrt(variance), 1e-7) per channel, in float64. */
function expected(x: Float32Array, mean: number[], variance: number[]): Float64Array {
  const c = mean.length;
  return Float64Array.from(x, (v, i) => (v - mean[i % c]!) / Math.max(Math.sqrt(variance[i % c]!), 1e-7));
}

describe('Normalization as Keras 3.15.1', () => {
  for (const name of ['normalization', 'normalization_adapted']) {
    it(`prints Keras's summary of ${name} character for character and round-trips its JSON`, () => {
      const m = load(`keras3.15.1_${name}.json`);
      const text = read(`keras3.15.1_${name}.summary.txt`).replace(/\n$/, '');
      expect(m.summary({ layout: 'keras3', lineLength: text.split('\n')[1]!.length })).toBe(text);
      resetNameScope();
      expect(modelToJSONString(fromJSON(modelToJSONString(m)))).toBe(modelToJSONString(m));
    });
  }

  it('has no weights with given mean and variance; mean, variance and count (non-trainable) without', () => {
    const given = load('keras3.15.1_normalization.json').graphLayers.find((l) => l.name === 'normalization')!;
    expect(given.weights).toEqual([]);
    expect(given.getConfig()).toMatchObject({ mean: [0.5, 0.25, -1], variance: [4, 0.25, 1] });
    const adapted = load('keras3.15.1_normalization_adapted.json').graphLayers.find((l) => l.name === 'normalization')!;
    expect(adapted.weights.map((w) => `${w.name}${JSON.stringify(w.shape)}:${w.trainable}`)).toEqual(['mean[3]:false', 'variance[3]:false', 'count[]:false']);
  });

  it("adapt() computes Keras's mean and variance; the CPU engine normalizes with them", async () => {
    const k = JSON.parse(read('keras3.15.1_normalization_adapted.numbers.json')) as { mean: number[]; variance: number[] };
    const data = Float32Array.from({ length: 24 }, (_, i) => i ** 1.5); // as make_bn.py
    const norm = layers.normalization();
    norm.adapt(data, [8, 3]);
    const [mean, variance, count] = norm.getWeights();
    assertClose(mean, k.mean, { atol: 1e-5, rtol: 1e-6 }, 'mean');
    assertClose(variance, k.variance, { atol: 1e-5, rtol: 1e-6 }, 'variance');
    expect([...count]).toEqual([0]);
    const x = input({ shape: [3] });
    const m = model({ inputs: x, outputs: norm.apply(x) });
    const rows = randomArray(12, 1, -5, 60);
    const [y] = await predictOn(new CpuEngine(), m, { inputs: [{ data: rows, shape: [4, 3] }], targets: [] });
    assertClose(y, expected(rows, k.mean, k.variance), { atol: 1e-5, rtol: 1e-5 }, 'adapted output');
  });

  it('normalizes with per-channel and scalar constants, flooring the standard deviation at 1e-7', async () => {
    const x = input({ shape: [2, 3] });
    const perChannel = layers.normalization({ mean: [0.5, 0.25, -1], variance: [4, 0, 1] });
    const scalar = layers.normalization({ mean: 2, variance: 9 });
    const m = model({ inputs: x, outputs: scalar.apply(perChannel.apply(x)) });
    const data = randomArray(12, 2, -1, 1);
    const [y] = await predictOn(new CpuEngine(), m, { inputs: [{ data, shape: [2, 2, 3] }], targets: [] });
    const once = Float32Array.from(expected(data, [0.5, 0.25, -1], [4, 0, 1]));
    assertClose(y, expected(once, [2, 2, 2], [9, 9, 9]), { atol: 1e-5, rtol: 1e-5 }, 'output');
    expect(toKerasPython(m)).toContain('layers.Normalization(mean=[0.5, 0.25, -1], variance=[4, 0, 1], name="normalization');
  });

  it('refuses invert, half-given statistics, wrong channel counts and adapting constants, naming the fix', () => {
    expect(() => layers.normalization({ invert: true, name: 'n' })).toThrow('Normalization "n": invert true (mapping normalized values back) is not supported here.');
    expect(() => layers.normalization({ mean: 1, name: 'n' })).toThrow('Normalization "n": needs both mean and variance, or neither (then adapt() computes them), got mean only.');
    expect(() => layers.normalization({ mean: 0, variance: -1, name: 'n' })).toThrow('variance must be a number or a list of non-negative finite numbers');
    expect(() => layers.normalization({ mean: [1, 2], variance: [1, 1], name: 'n' }).apply(input({ shape: [3] }))).toThrow(
      'Normalization "n": mean has 2 values but its input (None, 3) has 3 channels. Give one value per channel, or one number.',
    );
    expect(() => layers.normalization({ mean: 1, variance: 1, name: 'n' }).adapt(new Float32Array(6), [2, 3])).toThrow('has nothing to adapt');
    expect(() => layers.normalization({ name: 'n' }).adapt(new Float32Array(5), [2, 3])).toThrow('adapt() needs data and its shape');
    expect(() => fromJSON(read('keras3.15.1_normalization.json').replace('"invert": false', '"invert": true'))).toThrow('invert true');
  });
});

it('an adapted Normalization backpropagates as finite differences say (reference ops)', async () => {
  const x = input({ shape: [3] });
  const norm = layers.normalization();
  norm.adapt(randomArray(18, 4, -2, 9), [6, 3]);
  const h = layers.dense({ units: 3, activation: 'tanh' }).apply(norm.apply(layers.dense({ units: 3 }).apply(x)));
  const m = model({ inputs: x, outputs: layers.dense({ units: 2, activation: 'softmax' }).apply(h), seed: 2 });
  const data = { inputs: [{ data: randomArray(12, 5), shape: [4, 3] }], targets: [{ data: Uint32Array.of(0, 1, 1, 0), shape: [4] }] };
  const { checked } = await checkGradients(m, data, [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true }], 10);
  expect(checked).toBeGreaterThan(20);
});
