// readModelFiles / writeModelFiles: the format by file name (and for .json by content), a
// TF.js model.json with its shards read back as real TF.js predicts it, Keras JSON files of
// several versions with Keras's own parameter counts, the playground's model file, and errors
// that name the file, what is wrong and what is expected.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { examples } from '../examples.ts';
import { resetNameScope } from '../index.ts';
import { toKerasPython } from '../python.ts';
import { assertClose } from '../../../tests/util/check.ts';
import { ourPredict, randomInputs, randomizeWeights, tfjsLoad, tfjsPredict } from '../../../tests/util/tfjs.ts';
import { MAX_TOTAL_BYTES, PLAYGROUND_FORMAT, formatOf, jsonFormatOf, readModelFiles, writeFormatFor, writeModelFiles } from './files.ts';
import { pythonLoadingWeights } from './pythonFile.ts';
import type { NamedBytes } from './types.ts';

const fixture = (name: string): NamedBytes => ({ name, data: readFileSync(`tests/fixtures/keras/${name}`) });
const encode = (json: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(json));

describe('formats by name', () => {
  it('formatOf tells .weights.h5 from .h5 and knows every extension', () => {
    const cases: [string, string | null][] = [
      ['m.keras', 'keras'], ['m.weights.h5', 'weights.h5'], ['M.H5', 'h5'], ['m.hdf5', 'h5'], ['model.json', 'json'],
      ['dir/m.json', 'json'], ['m.py', 'python'], ['group1-shard1of2.bin', 'tfjs-shard'], ['m.txt', null], ['keras', null],
    ];
    for (const [name, format] of cases) expect(formatOf(name), name).toBe(format);
  });

  it('writeFormatFor picks the written format from the output path', () => {
    const cases: [string, string | null][] = [
      ['out/', 'tfjs'], ['out/model.json', 'tfjs'], ['m.json', 'json'], ['m.keras', 'keras'], ['m.h5', 'h5'],
      ['m.weights.h5', 'weights.h5'], ['m.py', 'python'], ['m.txt', null], ['m.bin', null],
    ];
    for (const [path, format] of cases) expect(writeFormatFor(path), path).toBe(format);
    expect(writeFormatFor('m.json', { keras3: true })).toBe('keras3-json');
  });
});

describe('readModelFiles', () => {
  it('reads a TF.js model.json with its shards in any order; TF.js predicts the same', async () => {
    resetNameScope();
    const model = examples['residual']!.build();
    randomizeWeights(model, 8);
    const files = await writeModelFiles(model, 'tfjs');
    expect(files[0]!.name).toBe('model.json');
    const x = randomInputs([[null, 28, 28, 1]], 2, 4);
    const theirs = await tfjsPredict(await tfjsLoad({ modelJson: JSON.parse(new TextDecoder().decode(files[0]!.data)), shards: files.slice(1) }), x);
    const loaded = await readModelFiles([...files].reverse());
    expect(loaded.weightsLoaded).toBe(true);
    expect(loaded.format).toMatch(/^TF.js layers model/);
    assertClose((await ourPredict(loaded.model, x))[0]!, theirs[0]!, { atol: 1e-4, rtol: 1e-4 }, 'residual');
  }, 60_000);

  it('reads Keras JSON of Keras 1, 2 and 3 with Keras\'s parameter counts', async () => {
    const expected: [string, number][] = [
      ['keras1.1.1_mnist_cnn.json', 600_810], ['keras2.0.8_mnist_cnn.json', 1_199_882], ['keras3.15.1_seed_cnn_sequential.json', 333_526],
    ];
    for (const [name, params] of expected) {
      const loaded = await readModelFiles([fixture(name)]);
      expect(loaded.weightsLoaded, name).toBe(false);
      expect(loaded.format, name).toMatch(/^Keras model JSON/);
      expect(loaded.model.countParams(), name).toBe(params);
    }
  });

  it('a TF.js model.json without its .bin files is a definition, with a note', async () => {
    const loaded = await readModelFiles([{ ...fixture('tfjs_converter_keras2.5.0_mnist_cnn.json'), name: 'model.json' }]);
    expect(loaded.weightsLoaded).toBe(false);
    expect(loaded.notes.join(' ')).toMatch(/group1-shard1of1.bin.*definition only/);
  });

  it('reads the playground\'s model.json + weights.bin (even renamed by the browser)', async () => {
    resetNameScope();
    const model = examples['branched']!.build();
    randomizeWeights(model, 2);
    const { manifest, data } = model.saveWeights();
    const json = { format: PLAYGROUND_FORMAT, modelTopology: model.toJSON(), weightsManifest: [{ paths: ['weights.bin'], weights: manifest }] };
    const loaded = await readModelFiles([{ name: 'model.json', data: encode(json) }, { name: 'weights (1).bin', data: new Uint8Array(data) }]);
    expect(loaded.format).toBe('playground model file');
    expect(jsonFormatOf(json)).toBe('playground');
    expect(loaded.model.getWeights()).toEqual(model.getWeights());
  });

  it('keeps compile settings written into Keras JSON', async () => {
    resetNameScope();
    const model = examples['seed-cnn']!.build();
    const compile = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] } as const;
    const [file] = await writeModelFiles(model, 'json', { compile });
    const loaded = await readModelFiles([file!]);
    expect(loaded.compile?.loss).toBe('sparse_categorical_crossentropy');
    expect(loaded.model.toJSON()).toEqual(model.toJSON());
  });

});

describe('readModelFiles errors', () => {
  it('fails naming the file, what is wrong and what it expects', async () => {
    const json = fixture('keras2.0.8_mnist_cnn.json');
    const shard = { name: 'group1-shard1of1.bin', data: new Uint8Array(8) };
    await expect(readModelFiles([])).rejects.toThrow(/no files given; expected one of \.keras/);
    await expect(readModelFiles([{ name: 'notes.txt', data: new Uint8Array(1) }])).rejects.toThrow(/^notes.txt: is not a model file .* expected \.keras/);
    await expect(readModelFiles([json, { ...json, name: 'b.json' }])).rejects.toThrow(/are 2 model files; give one model at a time/);
    await expect(readModelFiles([shard])).rejects.toThrow(/^group1-shard1of1.bin: is a TF.js weight shard; give their model.json/);
    await expect(readModelFiles([json, shard])).rejects.toThrow(/has no weightsManifest, so group1-shard1of1.bin cannot go with it/);
    await expect(readModelFiles([{ name: 'm.weights.h5', data: new Uint8Array(8) }])).rejects.toThrow(/holds weights only; give the model file with it/);
    await expect(readModelFiles([{ name: 'm.json', data: new TextEncoder().encode('{"class_name": "Sequential"') }])).rejects.toThrow(/^m.json: is not JSON/);
    await expect(readModelFiles([{ name: 'm.json', data: encode({ class_name: 'Nope', config: {} }) }])).rejects.toThrow(/^m.json: is not a model we can read/);
    const huge = { name: 'big.json', data: { byteLength: MAX_TOTAL_BYTES + 1 } as Uint8Array };
    await expect(readModelFiles([huge])).rejects.toThrow(/more than the \d+-byte limit/);
  });

  it('reads Python code (with the naming layout asked for) as Keras builds it', async () => {
    const code = { name: 'seed_sequential.py', data: readFileSync('tests/fixtures/keras/io/python/seed_sequential.py') };
    const loaded = await readModelFiles([code], { layout: 'keras3' });
    expect(loaded.format).toMatch(/Python/);
    // Keras 3.15.1's summary of this code: 333,526 parameters, the last layer dense_1.
    expect(loaded.model.countParams()).toBe(333_526);
    expect(loaded.model.layers.at(-1)!.name).toBe('dense_1');
    expect(loaded.compile?.loss).toBe('sparse_categorical_crossentropy');
    await expect(readModelFiles([{ name: 'm.py', data: new Uint8Array([0xff, 0xfe, 0x00]) }])).rejects.toThrow(/^m.py: is not UTF-8 text/);
  });

  it('reads a .keras file saved by Keras 3.15.1: its model, weights and compile()', async () => {
    const file = { name: 'tiny_compiled.keras', data: readFileSync('tests/fixtures/keras/io/keras3json/tiny_compiled.keras') };
    const loaded = await readModelFiles([file]);
    expect(loaded.format).toMatch(/^Keras .keras file/);
    expect(loaded.model.name).toBe('tiny_compiled');
    expect(loaded.model.countParams()).toBe(3 * 4 + 4 + 4 * 2 + 2);
    // make_keras3json.py compiled it with Adam(0.01), sparse_categorical_crossentropy, accuracy.
    expect(loaded.compile?.loss).toBe('sparse_categorical_crossentropy');
    expect(loaded.weightsLoaded).toBe(true);
    expect(loaded.model.getWeights().some((w) => w.some((v) => v !== 0))).toBe(true);
    await expect(readModelFiles([{ name: 'm.keras', data: new Uint8Array(8) }])).rejects.toThrow(/^m.keras: /);
  });

  it('an .h5 that is not HDF5 is refused by name', async () => {
    await expect(readModelFiles([{ name: 'm.h5', data: new Uint8Array(8) }])).rejects.toThrow(/HDF5/);
  });
});

describe('writeModelFiles', () => {
  it('Keras JSON is Keras\'s to_json() text and reads back to the same model', async () => {
    resetNameScope();
    const model = examples['shared-two-heads']!.build();
    const [file] = await writeModelFiles(model, 'json');
    expect(file!.name).toBe('siamese.json');
    const again = await readModelFiles([file!]);
    expect(again.model.toJSON()).toEqual(model.toJSON());
  });

  it('Keras 3 JSON reads back to the same model with its compile settings', async () => {
    resetNameScope();
    const model = examples['residual']!.build();
    const [file] = await writeModelFiles(model, 'keras3-json', { compile: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' } });
    expect(JSON.parse(new TextDecoder().decode(file!.data)).module).toMatch(/^keras/);
    const again = await readModelFiles([file!]);
    expect(again.model.toJSON()).toEqual(model.toJSON());
    expect(again.compile?.loss).toBe('sparse_categorical_crossentropy');
  });

  it('Python: the code, and the load_weights line placed once the model is built', async () => {
    resetNameScope();
    const model = examples['seed-cnn']!.build();
    const [file] = await writeModelFiles(model, 'python', { baseName: 'cnn', compile: { optimizer: 'adam', loss: 'mse' } });
    const code = new TextDecoder().decode(file!.data);
    expect(file!.name).toBe('cnn.py');
    expect(code).toBe(toKerasPython(model, { optimizer: 'adam', loss: 'mse' }));
    const lines = pythonLoadingWeights(code, 'cnn.weights.h5').split('\n');
    expect(lines.slice(lines.indexOf('model.summary()'), lines.indexOf('model.summary()') + 3)).toEqual([
      'model.summary()', 'model.load_weights("cnn.weights.h5")', 'model.compile(optimizer="adam", loss="mse")',
    ]);
    const files = await writeModelFiles(model, 'python', { baseName: 'cnn', weights: true });
    expect(files.map((f) => f.name)).toEqual(['cnn.py', 'cnn.weights.h5']);
    const back = await readModelFiles(files);
    expect(back.weightsLoaded).toBe(true);
    expect(back.model.getWeights()).toEqual(model.getWeights());
  });
});
