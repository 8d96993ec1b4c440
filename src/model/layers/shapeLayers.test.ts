// The pooling, reshaping, merge and noise layers against real Keras 3 (fixtures written by
// tests/fixtures/keras/make_shape.py): a functional model holding most of them loads with Keras's
// parameter counts and prints Keras's summary character for character; a weightless model's
// outputs for a fixed input equal Keras's on the reference ops; bad configs are refused with the
// layer, the shapes and the fix named; and the model trains on the CPU engine.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertClose, randomArray, rng } from '../../../tests/util/check';
import { predictOn } from '../../../tests/util/layerContract';
import { fromJSON, input, layers, modelToJSON, resetNameScope, summaryRows } from '../index';
import { CpuEngine } from '../train/cpuEngine';
import { referenceOps } from '../train/cpuOps';

const DIR = new URL('../../../tests/fixtures/keras/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');
const load = (file: string) => {
  resetNameScope();
  return fromJSON(read(file));
};

describe('shape layers against Keras 3.15.1', () => {
  it("loads the functional model with Keras's parameter counts and prints its summary character for character", () => {
    const expected = read('keras3.15.1_shape_layers.summary.txt').replace(/\n$/, '');
    const model = load('keras3.15.1_shape_layers.to_json');
    expect(summaryRows(model).totalParams).toBe(263);
    expect(expected).toContain('Total params: 263');
    const width = expected.split('\n')[1]!.length;
    expect(model.summary({ layout: 'keras3', lineLength: width })).toBe(expected);
    resetNameScope();
    const again = fromJSON(JSON.stringify(modelToJSON(model)));
    expect(summaryRows(again)).toEqual(summaryRows(model));
  });

  it("computes Keras's outputs for a fixed input (reference ops, inference)", async () => {
    const model = load('keras3.15.1_shape_numbers.to_json');
    const fixture = JSON.parse(read('keras3.15.1_shape_numbers.values')) as {
      inputs: number[][];
      outputs: Record<string, { shape: number[]; values: number[] }>;
    };
    const batch = 2;
    const data = {
      inputs: fixture.inputs.map((v) => ({ data: Float32Array.from(v), shape: [batch, 4, 5, 3] })),
      targets: [],
    };
    const outputs = await predictOn(new CpuEngine(referenceOps), model, data);
    const names = model.outputs.map((t) => t.node.layer.name);
    expect(names.sort()).toEqual(Object.keys(fixture.outputs).sort());
    model.outputs.forEach((t, k) => {
      const want = fixture.outputs[t.node.layer.name]!;
      expect([batch, ...t.shape.slice(1)], t.node.layer.name).toEqual(want.shape);
      assertClose(outputs[k]!, want.values, { atol: 1e-6, rtol: 1e-6 }, t.node.layer.name);
    });
  });

  it('trains the functional model on the CPU engine (noise layers active)', async () => {
    const model = load('keras3.15.1_shape_layers.to_json');
    const n = 48;
    const r = rng(3);
    const x = [
      { data: randomArray(n * 8 * 8 * 3, 1), shape: [n, 8, 8, 3] },
      { data: randomArray(n * 6 * 4, 2), shape: [n, 6, 4] },
    ];
    const y = { data: Uint32Array.from({ length: n }, () => Math.floor(r() * 3)), shape: [n] };
    await model.compile({ optimizer: { kind: 'adam', learningRate: 0.01 }, loss: 'sparse_categorical_crossentropy' });
    const h = await model.fit(x, y, { epochs: 6, batchSize: 16 });
    expect(h.history.loss.every(Number.isFinite)).toBe(true);
    expect(h.history.loss[5]).toBeLessThan(h.history.loss[0]);
  });
});

describe('shape layers refuse bad configs, naming the layer, the shapes and the fix', () => {
  const image = () => input({ shape: [4, 5, 3] });

  it('merge layers', () => {
    const [a, b] = [image(), input({ shape: [4, 5, 2] })];
    expect(() => layers.subtract({ name: 's' }).apply([a, a, a])).toThrow(/Subtract "s": must be called on exactly 2 inputs .*got 3: \(None, 4, 5, 3\)/);
    expect(() => layers.maximum({ name: 'm' }).apply([a, b])).toThrow(/Maximum "m": inputs must all have the same shape, got \(None, 4, 5, 3\), \(None, 4, 5, 2\)/);
    expect(() => layers.concatenate({ axis: 1, name: 'c' }).apply([a, b])).toThrow(/Concatenate "c": inputs must have the same shape except on axis 1, got \(None, 4, 5, 3\), \(None, 4, 5, 2\)/);
    expect(layers.concatenate({ axis: 3 }).apply([a, b]).shape).toEqual([null, 4, 5, 5]);
    expect(layers.concatenate({ axis: -3 }).apply([a, a]).shape).toEqual([null, 8, 5, 3]);
  });

  it('reshaping layers', () => {
    expect(() => layers.reshape({ targetShape: [7, -1], name: 'r' }).apply(image())).toThrow(/Reshape "r": cannot reshape \(None, 4, 5, 3\) \(60 values per sample\) to targetShape \[7, -1\]/);
    expect(() => layers.reshape({ targetShape: [-1, -1] })).toThrow(/only one -1/);
    expect(layers.reshape({ targetShape: [-1, 6] }).apply(image()).shape).toEqual([null, 10, 6]);
    expect(() => layers.permute({ dims: [0, 1, 2] })).toThrow(/dims must be a permutation of 1..3 .*batch axis/);
    expect(() => layers.permute({ dims: [2, 1], name: 'p' }).apply(image())).toThrow(/Permute "p": dims \[2, 1\] permute 2 axes but the input \(None, 4, 5, 3\) has 3/);
    expect(() => layers.upSampling2d({ interpolation: 'bilinear' as 'nearest' })).toThrow(/interpolation "bilinear" is not supported: only 'nearest'/);
    expect(() => layers.cropping2d({ cropping: [2, 3], name: 'c' }).apply(image())).toThrow(/Cropping2D "c": cropping \[\[2, 2\], \[3, 3\]\] removes the whole image \(None, 4, 5, 3\)/);
    expect(() => layers.zeroPadding2d({ padding: [[1, -1], [0, 0]] })).toThrow(/padding\[0\]\[1\] must be an integer from 0/);
  });

  it('pooling and noise layers', () => {
    expect(() => layers.maxPooling1d({ name: 'p' }).apply(image())).toThrow(/MaxPooling1D "p": needs a 3-D input \(batch, steps, channels\), got \(None, 4, 5, 3\)/);
    expect(() => layers.averagePooling1d({ poolSize: 9, name: 'p' }).apply(input({ shape: [5, 2] }))).toThrow(/poolSize 9 is larger than its input's 5 steps/);
    expect(() => layers.spatialDropout2d({ rate: 0.5, name: 's' }).apply(input({ shape: [5, 2] }))).toThrow(/SpatialDropout2D "s": needs a 4-D input/);
    expect(() => layers.gaussianDropout({ rate: 1 })).toThrow(/rate must be a number in \[0, 1\)/);
    expect(() => layers.gaussianNoise({ stddev: -1 })).toThrow(/stddev must be a number >= 0/);
  });
});
