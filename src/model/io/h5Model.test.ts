// Legacy full-model .h5: files real Keras 3.15.1 wrote (tests/fixtures/keras/io, make_io.py) read
// into our models (config, parameter counts, Keras 3's summary text, compile settings, and the CPU
// engine's predictions within 1e-4 of Keras's), our files read back, and hostile files refused fast.
import { describe, expect, it } from 'vitest';
import { examples } from '../examples';
import { modelToJSON } from '../modelJson';
import { resetNameScope } from '../naming';
import { ioExpected, ioFixture, ioText, kerasInputs, maxAbsDiff, predictOnCpu } from '../../../tests/util/kerasIo';
import { readH5Model, writeH5Model } from './h5Model';
import { readWeightsH5 } from './weightsH5';
import { writeFloats, writeH5 } from './hdf5';
import { layers, sequential } from '../index';
import type { CompileArgs } from '../train/config';

function kerasSummary(name: string): string {
  return ioText(`${name}.summary.txt`).replace(/\n+$/, '');
}

describe('reading a legacy .h5 written by Keras 3.15.1', () => {
  for (const [file, name] of [['seed_cnn.h5', 'seed_cnn'], ['branched.h5', 'branched'], ['modern.h5', 'modern'], ['branched.tfkeras2.h5', 'branched']] as const) {
    it(`${file}: same layers, parameters and summary as Keras; predictions within 1e-4`, async () => {
      resetNameScope();
      const loaded = await readH5Model(ioFixture(file));
      const expected = ioExpected(name);
      expect(loaded.format).toBe('Keras .h5 (legacy full model)');
      expect(loaded.weightsLoaded).toBe(true);
      expect(loaded.model.countParams()).toBe(expected.params);
      expect(loaded.model.layers.map((l) => l.name)).toEqual(expected.layer_names);
      const summary = kerasSummary(name);
      expect(loaded.model.summary({ layout: 'keras3', lineLength: summary.split('\n')[1]!.length })).toBe(summary);
      const outputs = await predictOnCpu(loaded.model, kerasInputs(name));
      expect(outputs).toHaveLength(expected.predictions.length);
      outputs.forEach((o, i) => expect(maxAbsDiff(o, expected.predictions[i]!)).toBeLessThan(1e-4));
    });
  }

  it("keeps compile()'s settings from training_config and notes the optimizer state it drops", async () => {
    resetNameScope();
    const seed = await readH5Model(ioFixture('seed_cnn.h5'));
    expect(seed.compile).toMatchObject({ loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } });
    expect((seed.compile!.optimizer as { learningRate: number }).learningRate).toBeCloseTo(0.001, 9);
    expect(seed.notes).toEqual(["The optimizer's saved state (optimizer_weights, 2 arrays) is not loaded: training starts the optimizer afresh."]);
    const branched = await readH5Model(ioFixture('branched.h5'));
    expect(branched.compile).toMatchObject({ loss: { y1_output: 'mse', y2_output: 'mae' }, metrics: { y1_output: ['mae'], y2_output: ['mse'] }, optimizer: { kind: 'sgd', momentum: 0, nesterov: false } });
    const modern = await readH5Model(ioFixture('modern.h5'));
    expect(modern.compile?.optimizer).toMatchObject({ kind: 'rmsprop', rho: 0.9 });
    // RMSprop kept one slot per weight: 16 weights (BatchNormalization's moving statistics have none) + iteration + learning_rate.
    expect(modern.notes[0]).toContain('optimizer_weights, 14 arrays');
  });

  it('nested.h5: Bidirectional, TimeDistributed and GRU weights land where Keras had them', async () => {
    resetNameScope();
    const { model } = await readH5Model(ioFixture('nested.h5'));
    const keras = JSON.parse(ioText('nested.weights.json')) as Record<string, number[]>;
    const ours = Object.fromEntries(model.layers.flatMap((l) => l.weights.map((w, i) => [`${l.name}/${i}`, Array.from(w.values)])));
    expect(Object.keys(ours)).toEqual(Object.keys(keras));
    for (const [key, values] of Object.entries(keras)) expect(maxAbsDiff(ours[key]!, [values])).toBe(0);
  });
});

const COMPILE: CompileArgs = { optimizer: { kind: 'adam', learningRate: 0.002 }, loss: 'mse', metrics: ['mae'] };

describe('writing a legacy .h5', () => {
  for (const [key, example] of Object.entries(examples)) {
    it(`round trip of the ${key} example: identical config, weights and compile settings`, async () => {
      resetNameScope();
      const source = example.build();
      source.initializeWeights(5);
      const bytes = await writeH5Model(source, { compile: COMPILE });
      resetNameScope();
      const loaded = await readH5Model(bytes);
      expect(modelToJSON(loaded.model)).toEqual(modelToJSON(source));
      expect(loaded.model.getWeights()).toEqual(source.getWeights());
      // 'mse' is written as Keras's function name: Keras 3.15.1's .h5 loader fails on the alias.
      expect(loaded.compile).toEqual({ ...COMPILE, loss: 'mean_squared_error' });
      expect(loaded.notes).toEqual([]);
    });
  }

  it('round trip of nested.h5 (Bidirectional, TimeDistributed, GRU): identical config and weights', async () => {
    resetNameScope();
    const source = (await readH5Model(ioFixture('nested.h5'))).model;
    source.initializeWeights(6);
    resetNameScope();
    const loaded = await readH5Model(await writeH5Model(source));
    expect(modelToJSON(loaded.model)).toEqual(modelToJSON(source));
    expect(loaded.model.getWeights()).toEqual(source.getWeights());
  });

  it('without compile settings there is no training_config, and no compile in what is read', async () => {
    resetNameScope();
    const loaded = await readH5Model(await writeH5Model(examples.branched!.build()));
    expect(loaded.compile).toBeUndefined();
    const twoLosses = await readH5Model(await writeH5Model(examples.branched!.build(), { compile: { optimizer: 'sgd', loss: { y1_output: 'mae', y2_output: 'huber' } } }));
    expect(twoLosses.compile).toEqual({ optimizer: { kind: 'sgd' }, loss: { y1_output: 'mean_absolute_error', y2_output: 'huber' } });
  });
});

/** A file with a model_config and whatever `more` adds, made with h5wasm. */
function h5With(modelConfig: string, more?: (root: Parameters<Parameters<typeof writeH5>[0]>[0]) => void): Promise<Uint8Array> {
  return writeH5((root) => {
    root.create_attribute('model_config', modelConfig);
    more?.(root);
  });
}

async function quickly(run: Promise<unknown>, message: string | RegExp): Promise<void> {
  const started = Date.now();
  await expect(run).rejects.toThrow(message);
  expect(Date.now() - started).toBeLessThan(2000);
}

describe('hostile .h5 files end fast with a short error', () => {
  it('not HDF5, truncated, weights only', async () => {
    const good = ioFixture('seed_cnn.h5');
    await quickly(readH5Model(new TextEncoder().encode('PK\u0003\u0004 a zip')), /not an HDF5 file/);
    await quickly(readH5Model(good.subarray(0, good.length - 1000)), /cannot read the file: truncated file/);
    await quickly(readH5Model(ioFixture('branched.weights.h5')), /holds only weights \(no model_config\)/);
    await quickly(readH5Model(ioFixture('branched.legacy_weights.h5')), /holds only weights/);
  });

  it('a model_config that is not JSON, or that names a million layers', async () => {
    await quickly(readH5Model(await h5With('{"class_name": "Sequential", ')), /model_config attribute is not JSON/);
    const million = `{"class_name": "Sequential", "config": {"name": "big", "layers": [${Array(1_000_000).fill('{}').join(',')}]}}`;
    await quickly(readH5Model(await h5With(million)), 'Sequential "big": 1000000 layers is more than the limit of 10000.');
  });

  it('a weight dataset whose header claims 2^40 values is refused before its data is read', async () => {
    resetNameScope();
    const config = JSON.stringify(modelToJSON(examples.branched!.build()));
    const bytes = await h5With(config, (root) => {
      const weights = root.create_group('model_weights');
      weights.create_attribute('layer_names', ['Layer_1']);
      const g = weights.create_group('Layer_1');
      g.create_attribute('weight_names', ['kernel', 'bias']);
      // Chunked and unwritten: the file stays tiny while its header claims 2^40 floats.
      const huge = g.create_dataset({ name: 'kernel', data: new Float32Array(1), shape: [1, 1], maxshape: [null, null], chunks: [1, 1] });
      huge.resize([2 ** 20, 2 ** 20]);
      g.create_dataset({ name: 'bias', data: new Float32Array(10), shape: [10] });
    });
    await quickly(readH5Model(bytes), 'the model has 5 layers with weights (Layer_1, Layer_2, Branched_layer, y1_output, y2_output), the file 1 (Layer_1). Keras matches them in order.');
    const fiveLayers = await h5With(config, (root) => {
      const weights = root.create_group('model_weights');
      weights.create_attribute('layer_names', ['Layer_1', 'b', 'c', 'd', 'e']);
      for (const name of ['Layer_1', 'b', 'c', 'd', 'e']) {
        const g = weights.create_group(name);
        g.create_attribute('weight_names', ['kernel', 'bias']);
        const huge = g.create_dataset({ name: 'kernel', data: new Float32Array(1), shape: [1, 1], maxshape: [null, null], chunks: [1, 1] });
        huge.resize([2 ** 20, 2 ** 20]);
      }
    });
    await quickly(readH5Model(fiveLayers), 'layer "Layer_1" (Dense) weight "kernel": the model has shape (3, 10), the file (Layer_1/kernel) has (1048576, 1048576).');
  });

  it('deeply nested groups are never walked', async () => {
    resetNameScope();
    const source = examples.branched!.build();
    const config = JSON.stringify(modelToJSON(source));
    // HDF5 slows down with depth as it creates them (200 levels take seconds), not as we read.
    const deep = await h5With(config, (root) => {
      let g = root.create_group('model_weights').create_group('d');
      for (let i = 0; i < 100; i++) g = g.create_group('d');
    });
    await quickly(readH5Model(deep), /has no group|layers with weights/);
    // A weights file with a stray group 100 deep: looked into 4 levels at most, so it passes;
    // a stray group holding a dataset is another model's layer.
    const flat = sequential({ layers: [layers.flatten({ inputShape: [2] })] });
    const stray = (withData: boolean) => writeH5((root) => {
      const top = root.create_group('layers');
      let g = top.create_group('stray');
      for (let i = 0; i < 100; i++) g = g.create_group('d');
      if (withData) writeFloats(top.create_group('conv2d').create_group('vars'), '0', new Float32Array(4), [2, 2]);
    });
    const started = Date.now();
    await readWeightsH5(flat, await stray(false));
    expect(Date.now() - started).toBeLessThan(2000);
    await quickly(readWeightsH5(flat, await stray(true)), "the file has weights for a layer the model lacks: layers/conv2d. The model's layers are saved as flatten.");
  });
});
