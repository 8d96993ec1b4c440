// The activation layers and names against a model made by real Keras 3.15.1
// (tests/fixtures/keras/make_activations.py): ReLU (all three options), LeakyReLU, PReLU (with
// and without shared_axes), ELU, Softmax and gelu/silu/selu/softplus/elu/hard_sigmoid
// activations. Its to_json() loads, summary() matches character for character, and the output
// for a fixed input with fixed weights matches Keras's; then the options' error messages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromJSON, layerFromConfig, layers, modelToJSON, resetNameScope, sequential } from '../index';
import { layerFromKeras } from '../kerasConfig';
import { assertClose } from '../../../tests/util/check';

const DIR = new URL('../../../tests/fixtures/keras/activations/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');
const NAME = 'keras3.15.1_activation_layers';

function load() {
  resetNameScope();
  return fromJSON(read(`${NAME}.json`));
}

describe('activation layers against Keras 3.15.1', () => {
  it("loads Keras's config and prints its summary character for character", () => {
    const expected = read(`${NAME}.summary.txt`).replace(/\n$/, '');
    const width = expected.split('\n')[1]!.length;
    const m = load();
    expect(m.summary({ layout: 'keras3', lineLength: width })).toBe(expected);
    expect(m.countParams()).toBe(181);
    // Keras 3 wrote 'silu' for activation='swish'; we read and write it so.
    expect(JSON.stringify(modelToJSON(m))).toContain('"activation":"silu"');
  });

  it("computes Keras's output for a fixed input and fixed weights (CPU engine)", async () => {
    const numbers = JSON.parse(read(`${NAME}.numbers.json`)) as { weights: unknown[]; x: number[][][]; y: number[][][] };
    const m = load();
    m.setWeights(numbers.weights.map((w) => Float32Array.from((w as number[]).flat(3) as number[])));
    await m.compile({ optimizer: { kind: 'sgd', learningRate: 0.01 }, loss: 'mean_squared_error' });
    const x = Float32Array.from(numbers.x.flat(2));
    const [y] = await m.predict({ data: x, shape: [2, 4, 3] });
    assertClose(y, numbers.y.flat(2), { atol: 2e-6, rtol: 1e-5 }, 'y');
  });
});

describe('activation layer options', () => {
  it("reads Keras 2's LeakyReLU alpha and writes Keras 3's negative_slope", () => {
    const layer = layerFromKeras('LeakyReLU', { name: 'leaky', trainable: true, dtype: 'float32', alpha: 0.1 });
    expect(layer.getConfig()).toMatchObject({ className: 'LeakyReLU', negativeSlope: 0.1 });
    expect(layerFromKeras('LeakyReLU', { name: 'leaky', trainable: true }).getConfig()).toMatchObject({ negativeSlope: 0.3 });
  });

  it('accepts swish as silu, as Keras does', () => {
    expect(layers.dense({ units: 2, activation: 'swish' as 'silu' }).activation).toBe('silu');
  });

  it('refuses bad options naming the layer, the option and the fix', () => {
    expect(() => layers.reLU({ threshold: -1, name: 'r' })).toThrow(/ReLU "r".*threshold must be a finite number >= 0, got -1/);
    expect(() => layers.reLU({ maxValue: -2 })).toThrow(/maxValue must be a finite number >= 0/);
    expect(() => layers.leakyReLU({ negativeSlope: 0.1, alpha: 0.2 })).toThrow(/negativeSlope or Keras 2's alpha, not both/);
    expect(() => layers.pReLU({ sharedAxes: [0] })).toThrow(/sharedAxes must be an axis >= 1/);
    expect(() => layerFromConfig({ className: 'ELU', name: 'e', alpha: 'big' })).toThrow(/ELU "e".*alpha must be a finite number/);
    const m = sequential();
    m.add(layers.dense({ units: 3, inputShape: [4, 2] }));
    expect(() => m.add(layers.softmax({ axis: 3, name: 's' }))).toThrow(/Softmax "s": axis 3 is outside its input \(None, 4, 3\): use an axis from 1 to 2, or -1 for the last/);
    const p = sequential();
    p.add(layers.dense({ units: 3, inputShape: [4] }));
    expect(() => p.add(layers.pReLU({ sharedAxes: [2], name: 'p' }))).toThrow(/PReLU "p".*sharedAxes has axis 2/);
  });
});
