// Real model configs written by Keras 1.x, 2.x, 3.x, tf.keras and TF.js (tests/fixtures/keras,
// sources in its SOURCES.md) load, with the parameter counts and shapes those Keras versions
// computed; the Keras 3 ones also print Keras 3's own summary text character for character.

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromJSON, layers, modelToJSON, resetNameScope, sequential, summaryRows } from './index.ts';
import { examples } from './examples.ts';

const DIR = new URL('../../tests/fixtures/keras/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');
const load = (file: string) => {
  resetNameScope();
  return fromJSON(read(file));
};

/** Total parameters and output shape of each fixture, as the Keras that wrote it reports them. */
const EXPECTED: Record<string, { params: number; output: (number | null)[] }> = {
  'keras1.1.1_mnist_cnn.json': { params: 600_810, output: [null, 10] },
  'keras1.1.1_mnist_mlp.json': { params: 699_500, output: [null, 10] },
  'keras2.0.6_small_convnet.json': { params: 1_212_513, output: [null, 1] },
  'keras2.0.8_mnist_cnn.json': { params: 1_199_882, output: [null, 10] },
  'keras2.1.6_model_cnn.json': { params: 2_502_310, output: [null, 6] },
  'tfjs_converter_keras2.2.4-tf_fashion_mlp.json': { params: 101_770, output: [null, 10] },
  'tfjs_converter_keras2.5.0_mnist_cnn.json': { params: 9_966, output: [null, 10] },
  'tfjs_topology_keras2.13.1_mnist_cnn.json': { params: 108_618, output: [null, 10] },
  'tfjs-layers1.0.0_mnist_cnn.json': { params: 5_994, output: [null, 10] },
  'tfjs-layers2.0.0_mnist_cnn.json': { params: 33_194, output: [null, 10] },
  'keras3.15.1_seed_cnn_sequential.json': { params: 333_526, output: [null, 10] },
  'keras3.15.1_seed_cnn_sequential.keras_config.json': { params: 333_526, output: [null, 10] },
  'keras3.15.1_seed_cnn_functional.json': { params: 333_526, output: [null, 10] },
  'keras3.15.1_two_in_two_out.json': { params: 325, output: [null, 1] },
  'keras3.15.1_rescaling_gap.json': { params: 269, output: [null, 5] },
  'keras3.15.1_vgg16.json': { params: 138_357_544, output: [null, 1000] },
  'keras3.15.1_small_xception.json': { params: 83_210, output: [null, 10] },
  'keras3.15.1_lstm.json': { params: 133, output: [null, 1] },
};

/** Fixtures that must be refused, with what the error must name. */
const REFUSED: Record<string, RegExp> = {
  'keras3.15.1_mixed_float16.json': /dtype policy "mixed_float16" is not supported.*float32/,
};

describe('Keras configs of every version', () => {
  it('every fixture is listed here or read by another test', () => {
    const listed = new Set([...Object.keys(EXPECTED), ...Object.keys(REFUSED)]);
    const sources = ['../../src/', '../../tests/'].flatMap((root) => {
      const dir = new URL(root, import.meta.url);
      return readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.(test|gpu)\.ts$/.test(f) && !f.endsWith('kerasVersions.test.ts'))
        .map((f) => readFileSync(new URL(f, dir), 'utf8'));
    });
    const orphans = readdirSync(DIR).filter((f) => f.endsWith('.json') && !listed.has(f) && !sources.some((s) => s.includes(f)));
    expect(orphans).toEqual([]);
  });

  for (const [file, { params, output }] of Object.entries(EXPECTED)) {
    it(`loads ${file}`, () => {
      const model = load(file);
      const rows = summaryRows(model);
      expect(rows.totalParams).toBe(params);
      if (output.length > 0) expect(model.outputs[0]!.shape).toEqual(output);
      // A TF.js model.json lists its weights' shapes: an independent count.
      const manifest = (JSON.parse(read(file)) as { weightsManifest?: { weights: { shape: number[] }[] }[] }).weightsManifest;
      if (manifest) expect(manifest.flatMap((m) => m.weights).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0)).toBe(params);
      // What it loaded writes back as tf.keras JSON that loads again to the same model.
      resetNameScope();
      const again = fromJSON(JSON.stringify(modelToJSON(model)));
      expect(summaryRows(again)).toEqual(rows);
    });
  }

  for (const [file, message] of Object.entries(REFUSED)) {
    it(`refuses ${file} and says why`, () => {
      expect(() => load(file)).toThrow(message);
    });
  }

  it("a model's structure holds no weights: VGG16 (138 M parameters) loads and summarizes without allocating them", () => {
    const vgg = load('keras3.15.1_vgg16.json');
    vgg.summary();
    modelToJSON(vgg);
    const weights = vgg.layers.flatMap((l) => l.weights);
    expect(weights.map((w) => w.size).reduce((a, b) => a + b, 0)).toBe(138_357_544);
    expect(weights.filter((w) => w.allocated)).toEqual([]);
    // Reading a weight allocates it, drawn from its initializer (glorot_uniform: |w| <= sqrt(6 / (fan_in + fan_out))).
    const fc2 = vgg.layers.find((l) => l.name === 'fc2')!.weights[0]!;
    expect(Math.max(...fc2.values.subarray(0, 100_000).map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / (4096 + 4096)));
    expect(fc2.allocated).toBe(true);
  });

  it('a weight too large to allocate says so when read, not when the model is described', () => {
    resetNameScope();
    const m = sequential({ name: 'wide' });
    m.add(layers.dense({ units: 1 << 24, inputShape: [32] }));
    expect(m.countParams()).toBe(32 * 2 ** 24 + 2 ** 24);
    expect(m.summary()).toContain('553,648,128');
    expect(() => m.layers[0]!.weights[0]!.values).toThrow(
      'Dense "dense": weight "kernel" of shape (32, 16777216) needs 536,870,912 values (2048 MiB), more than the 1024 MiB one weight may take here.',
    );
  });

  for (const name of ['seed_cnn_sequential', 'seed_cnn_functional', 'two_in_two_out', 'rescaling_gap', 'vgg16', 'small_xception']) {
    it(`prints Keras 3's summary of ${name} character for character`, () => {
      const expected = read(`keras3.15.1_${name}.summary.txt`).replace(/\n$/, '');
      const width = expected.split('\n')[1]!.length;
      expect(load(`keras3.15.1_${name}.json`).summary({ layout: 'keras3', lineLength: width })).toBe(expected);
    });
  }

  it("the page's small Xception example builds keras.io's model as Keras 3 does: same summary", () => {
    const expected = read('keras3.15.1_small_xception.summary.txt').replace(/\n$/, '');
    resetNameScope();
    const ours = examples['small-xception']!.build();
    expect(ours.summary({ layout: 'keras3', lineLength: expected.split('\n')[1]!.length })).toBe(expected);
  });
});
