// Keras 3 .weights.h5 (and the model.weights.h5 of a .keras zip), read from files real Keras
// 3.15.1 wrote (tests/fixtures/keras/io, make_io.py): our CPU engine's predictions must match
// Keras's within 1e-4, and the values must land in the right weights.
import { describe, expect, it } from 'vitest';
import { modelFromJSON } from '../serialize';
import { resetNameScope } from '../naming';
import { examples } from '../examples';
import { input, layers, model } from '../index';
import { ioExpected, ioFixture, ioText, kerasArchive, kerasInputs, maxAbsDiff, predictOnCpu } from '../../../tests/util/kerasIo';
import { classSnakeCase, readWeightsH5, writeWeightsH5 } from './weightsH5';

describe('Keras 3 .weights.h5', () => {
  it("names layer groups as Keras's to_snake_case does", () => {
    expect(['Conv2D', 'MaxPooling2D', 'BatchNormalization', 'SeparableConv2D', 'GlobalAveragePooling2D', 'PReLU', 'InputLayer', 'LSTM', 'Conv2DTranspose', 'ReLU'].map(classSnakeCase))
      .toEqual(['conv2d', 'max_pooling2d', 'batch_normalization', 'separable_conv2d', 'global_average_pooling2d', 'p_re_lu', 'input_layer', 'lstm', 'conv2d_transpose', 're_lu']);
  });

  for (const name of ['seed_cnn', 'seed_cnn_functional', 'branched', 'modern']) {
    it(`${name}.keras: its model.weights.h5 gives Keras's predictions within 1e-4`, async () => {
      const { config, weights } = kerasArchive(`${name}.keras`);
      resetNameScope();
      const model = modelFromJSON(config);
      const expected = ioExpected(name);
      expect(model.countParams()).toBe(expected.params);
      expect(model.layers.map((l) => l.name)).toEqual(expected.layer_names);
      const summary = ioText(`${name}.summary.txt`).replace(/\n+$/, '');
      expect(model.summary({ layout: 'keras3', lineLength: summary.split('\n')[1]!.length })).toBe(summary);
      await readWeightsH5(model, weights);
      const outputs = await predictOnCpu(model, kerasInputs(name));
      expect(outputs).toHaveLength(expected.predictions.length);
      outputs.forEach((o, i) => expect(maxAbsDiff(o, expected.predictions[i]!)).toBeLessThan(1e-4));
    });
  }

  it('branched.weights.h5 (model.save_weights) fills the model built from its to_json()', async () => {
    resetNameScope();
    const model = modelFromJSON(ioText('branched.to_json'));
    await readWeightsH5(model, ioFixture('branched.weights.h5'));
    const outputs = await predictOnCpu(model, kerasInputs('branched'));
    outputs.forEach((o, i) => expect(maxAbsDiff(o, ioExpected('branched').predictions[i]!)).toBeLessThan(1e-4));
  });

  it('nested layers: Bidirectional(LSTM) under forward_layer/cell/vars, TimeDistributed under layer/vars, GRU under cell/vars', async () => {
    resetNameScope();
    const model = modelFromJSON(ioText('nested.to_json'));
    await readWeightsH5(model, ioFixture('nested.weights.h5'));
    const keras = JSON.parse(ioText('nested.weights.json')) as Record<string, number[]>;
    const ours = Object.fromEntries(model.layers.flatMap((l) => l.weights.map((w, i) => [`${l.name}/${i}`, Array.from(w.values)])));
    expect(Object.keys(ours)).toEqual(Object.keys(keras));
    for (const [key, values] of Object.entries(keras)) expect(maxAbsDiff(ours[key]!, [values])).toBe(0);
  });

  it('a legacy weights-only .h5 (layer_names at the root) loads too', async () => {
    resetNameScope();
    const model = modelFromJSON(ioText('branched.to_json'));
    await readWeightsH5(model, ioFixture('branched.legacy_weights.h5'));
    const outputs = await predictOnCpu(model, kerasInputs('branched'));
    outputs.forEach((o, i) => expect(maxAbsDiff(o, ioExpected('branched').predictions[i]!)).toBeLessThan(1e-4));
  });

  for (const [key, example] of Object.entries(examples)) {
    it(`write -> read round trip of the ${key} example gives identical weights`, async () => {
      resetNameScope();
      const source = example.build();
      source.initializeWeights(3);
      const bytes = await writeWeightsH5(source);
      resetNameScope();
      const target = example.build();
      target.initializeWeights(4);
      expect(target.getWeights()).not.toEqual(source.getWeights());
      await readWeightsH5(target, bytes);
      expect(target.getWeights()).toEqual(source.getWeights());
    });
  }
});

describe('Keras 3 .weights.h5 mismatches and hostile files', () => {
  async function seedCnnWeights(): Promise<Uint8Array> {
    return kerasArchive('seed_cnn.keras').weights;
  }

  it("another model's weights: a clear error naming the layer, the weight and both shapes; nothing written", async () => {
    resetNameScope();
    const other = modelFromJSON(ioText('branched.to_json'));
    const before = other.getWeights();
    await expect(readWeightsH5(other, await seedCnnWeights())).rejects.toThrow(
      'readWeightsH5 into "functional_2": layer "Layer_1" (Dense) weight "kernel": the model has shape (3, 10), the file (layers/dense/vars/0) has (3136, 100).',
    );
    expect(other.getWeights()).toEqual(before);
  });

  it('a file with more layers than the model, or fewer: named', async () => {
    resetNameScope();
    const twoDense = modelFromJSON(ioText('branched.to_json'));
    const bytes = await writeWeightsH5(twoDense);
    resetNameScope();
    // Keys follow the classes (input_layer, dense, dense_1, ...), not the names: the example's twin loads.
    await readWeightsH5(examples.branched!.build(), bytes);
    resetNameScope();
    const x = input({ shape: [3] });
    const one = model({ inputs: x, outputs: layers.dense({ units: 10 }).apply(x) });
    await expect(readWeightsH5(one, bytes)).rejects.toThrow(
      'the file has weights for a layer the model lacks: layers/dense_1 ("Layer_2"). The model\'s layers are saved as input_layer, dense.',
    );
    resetNameScope();
    const seed = examples['seed-cnn']!.build();
    await expect(readWeightsH5(seed, bytes)).rejects.toThrow(
      'layer "conv2d" (Conv2D) has 2 weights but the file has no group layers/conv2d/vars; it was saved from a model with other layers.',
    );
  });

  it('a wrong shape names layer, weight and both shapes, and leaves the model unchanged', async () => {
    resetNameScope();
    const m = modelFromJSON(kerasArchive('seed_cnn.keras').config);
    const config = JSON.parse(JSON.stringify(kerasArchive('seed_cnn.keras').config)) as { config: { layers: { config: { units?: number } }[] } };
    const dense = config.config.layers.find((l) => l.config.units === 100)!;
    dense.config.units = 99;
    resetNameScope();
    const narrower = modelFromJSON(config);
    const before = narrower.getWeights();
    await expect(readWeightsH5(narrower, await seedCnnWeights())).rejects.toThrow(
      'layer "dense" (Dense) weight "kernel": the model has shape (3136, 99), the file (layers/dense/vars/0) has (3136, 100).',
    );
    expect(narrower.getWeights()).toEqual(before);
    await readWeightsH5(m, await seedCnnWeights());
  });

  it('not HDF5, truncated, or empty: short errors', async () => {
    resetNameScope();
    const model = examples['seed-cnn']!.build();
    const good = await seedCnnWeights();
    await expect(readWeightsH5(model, new TextEncoder().encode('{"not": "hdf5"}'))).rejects.toThrow(/not an HDF5 file/);
    await expect(readWeightsH5(model, new Uint8Array(0))).rejects.toThrow(/not an HDF5 file/);
    const started = Date.now();
    await expect(readWeightsH5(model, good.subarray(0, good.length >> 1))).rejects.toThrow(/cannot read the file: truncated file/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
