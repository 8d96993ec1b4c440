// TF.js layers files against the real TensorFlow.js 4.22: what we write, tf.loadLayersModel
// loads and predicts as our CPU engine does; what TF.js writes (its own model.save, and the
// model.json files of TF.js 1.x to 4.x and the converter in tests/fixtures/keras) we read and
// predict as TF.js does. Bad files fail before any weight changes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { examples } from '../examples.ts';
import { layers, model, resetNameScope, sequential } from '../index.ts';
import { assertClose, rng } from '../../../tests/util/check.ts';
import { ourPredict, randomInputs, randomizeWeights, tf, tfjsLoad, tfjsPredict } from '../../../tests/util/tfjs.ts';
import { readTfjs, SHARD_BYTES, writeTfjs } from './tfjs.ts';
import type { NamedBytes } from './types.ts';

const TOL = { atol: 1e-4, rtol: 1e-4 };
const encode = (json: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(json));

describe('writeTfjs: tf.loadLayersModel reads what we write', () => {
  for (const name of Object.keys(examples)) {
    it(`${name} predicts as our CPU engine does`, async () => {
      resetNameScope();
      const model = examples[name]!.build();
      randomizeWeights(model, 3);
      const x = randomInputs(model.inputs.map((t) => [...t.shape]), 3, 7);
      const files = writeTfjs(model);
      expect(files.modelJson.format).toBe('layers-model');
      const theirs = await tfjsPredict(await tfjsLoad(files), x);
      const ours = await ourPredict(model, x);
      expect(theirs.length).toBe(ours.length);
      ours.forEach((o, i) => assertClose(theirs[i]!, o, TOL, `${name} output ${i}`));
    }, 60_000);
  }

  it('splits the weights into 4 MB shards as the converter does, and reads them back', async () => {
    resetNameScope();
    const model = sequential();
    model.add(layers.dense({ units: 1500, activation: 'tanh', inputShape: [784] }));
    model.add(layers.dense({ units: 10, activation: 'softmax' }));
    randomizeWeights(model, 5);
    const { modelJson, shards } = writeTfjs(model);
    const total = (784 * 1500 + 1500 + 1500 * 10 + 10) * 4;
    expect(shards.map((s) => s.name)).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin']);
    expect(shards.map((s) => s.data.byteLength)).toEqual([SHARD_BYTES, total - SHARD_BYTES]);
    const x = randomInputs([[null, 784]], 2, 1);
    const theirs = await tfjsPredict(await tfjsLoad({ modelJson, shards }), x);
    resetNameScope();
    const back = readTfjs(encode(modelJson), shards);
    expect(back.weightsLoaded).toBe(true);
    assertClose((await ourPredict(back.model, x))[0]!, theirs[0]!, TOL, 'read back');
  }, 60_000);
});

/** A model saved by TF.js's own model.save, as model.json + model.weights.bin the way tfjs writes them to files. */
async function savedByTfjs(model: tf.LayersModel, includeOptimizer = false): Promise<{ json: Uint8Array; shards: NamedBytes[] }> {
  let files: { json: Uint8Array; shards: NamedBytes[] } | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    const weights = new Uint8Array(tf.io.concatenateArrayBuffers(Array.isArray(a.weightData) ? a.weightData : [a.weightData!]));
    const modelJson = {
      modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy,
      ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
      weightsManifest: [{ paths: ['./model.weights.bin'], weights: a.weightSpecs }],
    };
    files = { json: encode(modelJson), shards: [{ name: 'model.weights.bin', data: weights }] };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer });
  return files!;
}

describe('readTfjs: models saved by TF.js itself', () => {
  it('a CNN with BatchNormalization and Dropout', async () => {
    const t = tf.sequential();
    t.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [8, 8, 2] }));
    t.add(tf.layers.batchNormalization());
    t.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    t.add(tf.layers.flatten());
    t.add(tf.layers.dropout({ rate: 0.3 }));
    t.add(tf.layers.dense({ units: 5, activation: 'softmax' }));
    // Non-trivial moving statistics, so BatchNormalization's four weights must each land right.
    t.setWeights(t.weights.map((w, i) => {
      const shape = w.shape as number[];
      return tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), i, /variance/.test(w.name) ? 0.5 : -0.5), shape);
    }));
    t.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = randomInputs([[null, 8, 8, 2]], 4, 2);
    await t.fit(tf.tensor(randomInputs([[null, 8, 8, 2]], 4, 9)[0]!.data as Float32Array, [4, 8, 8, 2]), tf.tensor([1, 2, 3, 4]), { epochs: 1 });
    const expected = await tfjsPredict(t, x);
    const { json, shards } = await savedByTfjs(t, true);
    const back = readTfjs(json, shards);
    expect(back.format).toMatch(/tfjs-layers v4/);
    expect(back.notes.join(' ')).toMatch(/the optimizer's saved state \(\d+ weights\) is not kept/);
    // TF.js keeps compile() at the top level as trainingConfig.
    expect(back.compile?.loss).toMatch(/sparse_?categorical_?crossentropy/i);
    expect(back.compile?.optimizer).toMatchObject({ kind: 'adam', learningRate: 0.01 });
    assertClose((await ourPredict(back.model, x))[0]!, expected[0]!, TOL, 'tfjs cnn');
  }, 60_000);

  it('recurrent layers, whose weights TF.js names after the layer (gru/kernel for our gru/gru_cell/kernel)', async () => {
    const t = tf.sequential();
    // TF.js writes mask_zero: null when maskZero is left out; Keras's null reads as false (no masking).
    t.add(tf.layers.embedding({ inputDim: 10, outputDim: 4, inputShape: [5] }));
    t.add(tf.layers.lstm({ units: 3, returnSequences: true }));
    t.add(tf.layers.bidirectional({ layer: tf.layers.gru({ units: 2, returnSequences: true }) as tf.RNN }));
    t.add(tf.layers.simpleRNN({ units: 2 }));
    const { json, shards } = await savedByTfjs(t);
    const back = readTfjs(json, shards);
    // No recurrent kernels run here yet, so compare the weights themselves: tfjs-layers's own rule
    // (exact name, else drop the part before the weight's name) maps each of ours to the TF.js variable it must equal.
    const theirs = new Map(t.weights.map((w) => [w.originalName, Float32Array.from(w.read().dataSync())]));
    const ours = back.model.graphLayers.flatMap((l) => l.weights.map((w) => ({ name: `${l.name}/${w.name}`, values: w.values })));
    expect(ours.length).toBe(theirs.size);
    for (const w of ours) {
      const parts = w.name.split('/');
      const tfjsName = theirs.has(w.name) ? w.name : [...parts.slice(0, -2), parts.at(-1)].join('/');
      expect(theirs.has(tfjsName), `${w.name} -> ${tfjsName}`).toBe(true);
      expect(w.values, w.name).toEqual(theirs.get(tfjsName));
    }
    const r = rng(4);
    const ids = { data: Float32Array.from({ length: 15 }, () => Math.floor(r() * 10)), shape: [3, 5] };
    const embedding = tf.model({ inputs: t.inputs, outputs: t.layers[0]!.output as tf.SymbolicTensor });
    const expected = await tfjsPredict(embedding, [ids]);
    const { model: m } = readTfjs(json, shards);
    const head = model({ inputs: m.inputs, outputs: m.graphLayers[1]!.output });
    assertClose((await ourPredict(head, [ids]))[0]!, expected[0]!, TOL, 'embedding');
  }, 60_000);
});

function randomValues(n: number, seed: number, lo: number): Float32Array {
  const r = rng(seed + 11);
  return Float32Array.from({ length: n }, () => lo + r());
}

describe('readTfjs: model.json files of TF.js 1.x to 4.x and the converter', () => {
  const fixtures = [
    'tfjs-layers1.0.0_mnist_cnn.json',
    'tfjs-layers2.0.0_mnist_cnn.json',
    'tfjs_converter_keras2.2.4-tf_fashion_mlp.json',
    'tfjs_converter_keras2.5.0_mnist_cnn.json',
    'tfjs_topology_keras2.13.1_mnist_cnn.json',
  ];
  for (const fixture of fixtures) {
    it(`${fixture}: a definition alone, then with shards predicts as TF.js does`, async () => {
      const bytes = readFileSync(`tests/fixtures/keras/${fixture}`);
      const modelJson = JSON.parse(bytes.toString('utf8'));
      resetNameScope();
      const bare = readTfjs(bytes, [], fixture);
      expect(bare.weightsLoaded).toBe(false);
      expect(bare.notes[0]).toMatch(/not given: read as a definition only/);
      // The fixtures come without their .bin files: give both readers the same seeded bytes.
      const group = modelJson.weightsManifest[0];
      const size = group.weights.reduce((n: number, w: { shape: number[] }) => n + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
      const data = new Uint8Array(randomValues(size / 4, 9, -0.1).buffer);
      const shards = [{ name: group.paths[0].replace(/^.*\//, ''), data }];
      const theirModel = await tfjsLoad({ modelJson, shards });
      const x = randomInputs(theirModel.inputs.map((t) => t.shape), 2, 3);
      resetNameScope();
      const back = readTfjs(bytes, shards, fixture);
      expect(back.weightsLoaded).toBe(true);
      assertClose((await ourPredict(back.model, x))[0]!, (await tfjsPredict(theirModel, x))[0]!, TOL, fixture);
    }, 60_000);
  }

  it('keeps the converter\'s training_config as compile settings', () => {
    const back = readTfjs(readFileSync('tests/fixtures/keras/tfjs_converter_keras2.2.4-tf_fashion_mlp.json'), []);
    expect(back.compile?.loss).toBeDefined();
  });
});

describe('readTfjs: bad files fail before any weight changes', () => {
  function written() {
    resetNameScope();
    const model = examples.branched!.build();
    randomizeWeights(model, 1);
    const files = writeTfjs(model, { shardBytes: 512 });
    return { model, files, json: structuredClone(files.modelJson) as { weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[] } };
  }

  it('reads weight names with the ":0" suffix of older converters', async () => {
    const { model, files, json } = written();
    for (const w of json.weightsManifest[0]!.weights) w.name += ':0';
    const back = readTfjs(encode(json), files.shards);
    expect(back.model.getWeights()).toEqual(model.getWeights());
  });

  it('reads quantized weights (uint8, uint16 and float16) as TF.js decodes them', async () => {
    const { files, json } = written();
    const values = new Float32Array(files.shards.reduce((n, s) => n + s.data.byteLength, 0) / 4);
    new Uint8Array(values.buffer).set(concatBytes(files.shards.map((s) => s.data)));
    const kinds = ['uint8', 'uint16', 'float16'] as const;
    const parts: Uint8Array[] = [];
    let offset = 0;
    const weights = json.weightsManifest[0]!.weights.map((w, i) => {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const v = values.subarray(offset, offset + count);
      offset += count;
      const dtype = kinds[i % 3]!;
      const q = quantize(v, dtype);
      parts.push(q.bytes);
      return { ...w, dtype: 'float32', quantization: q.spec };
    });
    const quantized = { ...json, weightsManifest: [{ paths: ['weights.bin'], weights }] };
    const shards = [{ name: 'weights.bin', data: concatBytes(parts) }];
    const theirs = await tfjsLoad({ modelJson: quantized, shards });
    const back = readTfjs(encode(quantized), shards);
    expect(back.model.getWeights()).toEqual(theirs.getWeights().map((w) => Float32Array.from(w.dataSync())));
  });

  it('names the missing shard, a truncated shard, a wrong shape, a weight the model lacks', () => {
    const { files, json } = written();
    expect(files.shards.length).toBeGreaterThan(1);
    expect(() => readTfjs(encode(json), files.shards.slice(1))).toThrow(/missing group1-shard1of\d\.bin/);
    const cut = files.shards.map((s, i) => (i === 0 ? { ...s, data: s.data.subarray(4) } : s));
    expect(() => readTfjs(encode(json), cut)).toThrow(/bytes but the manifest's weights take/);
    const reshaped = structuredClone(json);
    reshaped.weightsManifest[0]!.weights[0]!.shape = [10, 3];
    expect(() => readTfjs(encode(reshaped), files.shards)).toThrow(/"Layer_1\/kernel" has shape \[10, 3\] in the manifest but \[3, 10\]/);
    const renamed = structuredClone(json);
    renamed.weightsManifest[0]!.weights[0]!.name = 'other/kernel';
    expect(() => readTfjs(encode(renamed), files.shards)).toThrow(/has no weight "Layer_1\/kernel"/);
    expect(() => readTfjs(encode(json), [...files.shards, { name: 'x.bin', data: new Uint8Array(4) }])).toThrow(/does not name x.bin/);
  });

  it('rejects absurd shapes and non-JSON quickly, without allocating', () => {
    const { files, json } = written();
    const huge = structuredClone(json);
    huge.weightsManifest[0]!.weights[0]!.shape = [1e9, 1e9];
    const start = performance.now();
    expect(() => readTfjs(encode(huge), files.shards)).toThrow(/more than \d+ elements/);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(() => readTfjs(new TextEncoder().encode('{"modelTopology": '), [])).toThrow(/is not JSON/);
    expect(() => readTfjs(encode({ format: 'graph-model', modelTopology: {} }), [])).toThrow(/only 'layers-model'/);
  });

  it('leaves the weights alone when a check fails', () => {
    const { model, files, json } = written();
    const before = model.getWeights().map((w) => w.slice());
    const bad = structuredClone(json);
    bad.weightsManifest[0]!.weights.at(-1)!.shape = [2];
    expect(() => readTfjs(encode(bad), files.shards)).toThrow();
    expect(model.getWeights()).toEqual(before);
  });
});

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** TF.js's affine quantization (and float16 through Math.fround-free bit packing), as tensorflowjs_converter writes it. */
function quantize(v: Float32Array, dtype: 'uint8' | 'uint16' | 'float16') {
  if (dtype === 'float16') {
    const out = new Uint16Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = toHalf(v[i]!);
    return { bytes: new Uint8Array(out.buffer), spec: { dtype } };
  }
  const levels = dtype === 'uint8' ? 255 : 65535;
  const min = Math.min(...v);
  const scale = (Math.max(...v) - min) / levels || 1;
  const q = dtype === 'uint8' ? new Uint8Array(v.length) : new Uint16Array(v.length);
  v.forEach((x, i) => (q[i] = Math.round((x - min) / scale)));
  return { bytes: new Uint8Array(q.buffer), spec: { dtype, scale, min } };
}

/** Round-to-nearest float16 bits for normal numbers in range (the test's weights are in [-0.5, 0.5]). */
function toHalf(x: number): number {
  if (x === 0) return 0;
  const sign = x < 0 ? 0x8000 : 0;
  const a = Math.abs(x);
  const exponent = Math.max(-14, Math.floor(Math.log2(a)));
  const mantissa = Math.round((a / 2 ** exponent - (exponent === -14 && a < 2 ** -14 ? 0 : 1)) * 1024);
  return sign | ((exponent === -14 && a < 2 ** -14 ? 0 : exponent + 15) << 10) | Math.min(mantissa, 1023);
}
