// Graph building, naming, validation and weights: the Keras behaviours a
// learner relies on when translating a Keras script line by line.

import { beforeEach, describe, expect, it } from 'vitest';
import { input, layers, model, resetNameScope, sequential, setSeed, summaryRows, compareSummaries, convOutputLength } from './index.ts';
import { branched, seedCnn, seedCnnFunctional } from './examples.ts';

beforeEach(() => {
  resetNameScope();
  setSeed(0);
});

describe('shapes', () => {
  it('computes same/valid output sizes like Keras', () => {
    expect(convOutputLength(28, 3, 'same', 1)).toBe(28);
    expect(convOutputLength(28, 3, 'valid', 1)).toBe(26);
    expect(convOutputLength(7, 2, 'valid', 2)).toBe(3);
    expect(convOutputLength(7, 2, 'same', 2)).toBe(4);
    expect(convOutputLength(null, 3, 'same', 1)).toBeNull();
  });
});

describe('naming', () => {
  it('counts per class and restarts after resetNameScope', () => {
    const m = seedCnn();
    expect(m.name).toBe('sequential');
    expect(m.layers.map((l) => l.name)).toEqual(['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'flatten', 'dense', 'dropout', 'dense_1']);
    const f = seedCnnFunctional();
    expect(f.name).toBe('model');
    expect(f.layers[0]!.name).toBe('input_1');
    expect(f.layers[1]!.name).toBe('conv2d_2');
    expect(sequential().name).toBe('sequential_1');
    resetNameScope();
    expect(layers.dense({ units: 1 }).name).toBe('dense');
  });

  it('a failed add neither adds the layer nor uses up its name', () => {
    const m = sequential();
    m.add(layers.dense({ units: 4, inputShape: [3] }));
    expect(() => m.add(layers.conv2d({ filters: 8, kernelSize: 3 }))).toThrow(/Conv2D "conv2d": needs a 4-D input/);
    expect(m.layers).toHaveLength(1);
    m.add(layers.dense({ units: 2 }));
    expect(layers.conv2d({ filters: 1, kernelSize: 1 }).name).toBe('conv2d');
    expect(m.layers.map((l) => l.name)).toEqual(['dense', 'dense_1']);
  });
});

describe('graph', () => {
  it('orders branched layers by depth, not creation', () => {
    expect(branched().layers.map((l) => l.name)).toEqual(['input_layer', 'Layer_1', 'Layer_2', 'Branched_layer', 'y1_output', 'y2_output']);
  });

  it('gives nodes in topological order with inbound tensors', () => {
    const m = branched();
    const seen = new Set<string>();
    for (const node of m.nodes) {
      for (const t of node.inputs) expect(seen.has(t.layer.name)).toBe(true);
      seen.add(node.layer.name);
    }
    expect(m.nodes).toHaveLength(6);
  });

  it('shares weights between a model and its sub-model', () => {
    const m = seedCnnFunctional();
    const sub = model({ inputs: m.inputs, outputs: m.layers[1]!.output });
    expect(sub.layers[1]).toBe(m.layers[1]);
    expect(sub.summaryRows().rows.map((r) => r.name)).toEqual(['input_1', 'conv2d']);
    expect(sub.summary().split('\n')[4]).toBe('input_1 (InputLayer)         [(None, 28, 28, 1)]       0         ');
  });

  it('a layer applied twice shares its weights', () => {
    const a = input({ shape: [4] });
    const b = input({ shape: [4] });
    const shared = layers.dense({ units: 2 });
    const m = model({ inputs: [a, b], outputs: layers.add().apply([shared.apply(a), shared.apply(b)]) });
    expect(m.countParams()).toBe(10);
    expect(summaryRows(m).rows.find((r) => r.name === 'dense')!.inbound).toEqual(['input_1[0][0]', 'input_2[0][0]']);
  });

  it('rejects outputs that need an input the model was not given', () => {
    const a = input({ shape: [4] });
    const b = input({ shape: [4] });
    const y = layers.add().apply([a, b]);
    expect(() => model({ inputs: a, outputs: y })).toThrow(/graph disconnected.*input "input_2".*Add it to inputs/);
    expect(model({ inputs: [a, b], outputs: y }).name).toBe('model');
  });

  it('rejects duplicate layer names and empty models', () => {
    const x = input({ shape: [3] });
    const y = layers.dense({ units: 2, name: 'same' }).apply(layers.dense({ units: 2, name: 'same' }).apply(x));
    expect(() => model({ inputs: x, outputs: y })).toThrow(/"same" is used by two different layers/);
    expect(() => model({ inputs: x, outputs: [] })).toThrow(/at least one output/);
    expect(() => sequential().summary()).toThrow(/not been built/);
  });

  it('builds a deferred Sequential on build()', () => {
    const m = sequential({ layers: [layers.dense({ units: 3 }), layers.dense({ units: 1 })] });
    expect(m.built).toBe(false);
    m.build([5]);
    expect(m.countParams()).toBe(18 + 4);
  });
});

describe('validation', () => {
  const x4 = (): ReturnType<typeof input> => input({ shape: [5, 5, 2] });
  const cases: [string, () => unknown, RegExp][] = [
    ['zero filters', () => layers.conv2d({ filters: 0, kernelSize: 3 }), /Conv2D "conv2d": filters must be an integer from 1/],
    ['negative units', () => layers.dense({ units: -2 }), /Dense "dense": units must be an integer from 1/],
    ['absurd units', () => layers.dense({ units: 1e12 }), /units must be an integer from 1 to 16777216/],
    ['zero strides', () => layers.conv2d({ filters: 1, kernelSize: 3, strides: 0 }), /strides must be an integer/],
    ['unknown activation', () => layers.dense({ units: 1, activation: 'relux' as 'relu' }), /activation must be one of 'linear', 'relu'/],
    ['unknown padding', () => layers.conv2d({ filters: 1, kernelSize: 3, padding: 'full' as 'same' }), /padding must be one of 'valid', 'same', got "full"/],
    ['dropout rate 1', () => layers.dropout({ rate: 1 }), /rate must be a number in \[0, 1\)/],
    ['misspelled option', () => layers.conv2d({ filters: 1, kernel_size: 3 } as never), /unknown option "kernel_size"/],
    ['kernel larger than input', () => layers.conv2d({ filters: 1, kernelSize: 7 }).apply(x4()), /kernelSize \[7, 7\] is larger than its input image \[5, 5\].*padding: 'same'/],
    ['pooling larger than image', () => layers.maxPooling2d({ poolSize: 6 }).apply(x4()), /poolSize \[6, 6\] is larger than its input image/],
    ['dense on rank 1', () => layers.dense({ units: 2 }).apply(input({ shape: [] })), /rank >= 2.*got \(None\)/],
    ['concat mismatch', () => layers.concatenate().apply([input({ shape: [4, 2] }), input({ shape: [3, 2] })]), /same shape except on axis -1, got \(None, 4, 2\), \(None, 3, 2\)/],
    ['add mismatch', () => layers.add().apply([input({ shape: [4] }), input({ shape: [5] })]), /Add "add": inputs must all have the same shape, got \(None, 4\), \(None, 5\)/],
    ['merge in sequential', () => sequential({ layers: [layers.dense({ units: 1, inputShape: [2] }), layers.add()] }), /cannot add Add "add"/],
    // Wrong types, not only wrong values.
    ['filters as a string', () => layers.conv2d({ filters: '8' as never, kernelSize: 3 }), /Conv2D "conv2d": filters must be an integer from 1 to 16777216, got "8"/],
    ['fractional units', () => layers.dense({ units: 2.5 }), /Dense "dense": units must be an integer from 1 to 16777216, got 2.5/],
    ['a zero in a strides pair', () => layers.conv2d({ filters: 1, kernelSize: 3, strides: [1, 0] }), /strides\[1\] must be an integer from 1/],
    ['zero pooling strides', () => layers.maxPooling2d({ poolSize: 2, strides: 0 }), /MaxPooling2D "max_pooling2d": strides must be an integer/],
    ['negative dropout rate', () => layers.dropout({ rate: -0.1 }), /Dropout "dropout": rate must be a number in \[0, 1\).*got -0.1/],
    ['dropout rate as a string', () => layers.dropout({ rate: '0.5' as never }), /rate must be a number in \[0, 1\).*got "0.5"/],
    ['activation of the wrong type', () => layers.dense({ units: 2, activation: 3 as never }), /activation must be one of 'linear', 'relu', 'sigmoid', 'softmax', 'tanh', 'relu6', .*'leaky_relu', got 3/],
    ['useBias not a boolean', () => layers.dense({ units: 2, useBias: 'yes' as never }), /useBias must be true or false, got "yes"/],
    ['options that are not an object', () => layers.dense(null as never), /Dense: options must be an object like \{units: 10\}, got null/],
    ['a negative input dimension', () => input({ shape: [-1] }), /InputLayer: shape\[0\] must be an integer from 1/],
    ['a duplicate name in a Sequential', () => sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'a' }), layers.dense({ units: 2, name: 'a' })] }), /already has a layer named "a"/],
    ['the same layer twice in a Sequential (a cycle)', () => {
      const d = layers.dense({ units: 3, inputShape: [3] });
      return sequential({ layers: [d, d] });
    }, /already has a layer named "dense"/],
    ['an empty model', () => model({ inputs: [], outputs: [] }), /at least one output/],
    ['an output not connected to an input', () => model({ inputs: input({ shape: [2] }), outputs: layers.dense({ units: 1 }).apply(input({ shape: [2] })) }), /graph disconnected.*input "input_2"/],
    ['a very long name, quoted short', () => layers.dense({ units: 1, name: 'n'.repeat(100_000) }), /^Dense "n{10,}…: name must be a non-empty string of at most 256 characters/],
  ];
  for (const [name, run, message] of cases) {
    it(`rejects ${name}`, () => expect(run).toThrow(message));
  }

  it('applies Dense to the last axis of any rank', () => {
    expect(layers.dense({ units: 7 }).apply(input({ shape: [5, 3] })).shape).toEqual([null, 5, 7]);
  });
});

describe('weights', () => {
  it('uses Keras layouts and glorot limits, zero biases', () => {
    const m = seedCnn();
    const conv = m.layers[0]!;
    expect(conv.weights.map((w) => w.shape)).toEqual([[3, 3, 1, 32], [32]]);
    const limit = Math.sqrt(6 / (9 * 1 + 9 * 32));
    const kernel = conv.getWeights()[0]!;
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...kernel.map(Math.abs))).toBeGreaterThan(limit * 0.9);
    expect(conv.getWeights()[1]!.every((v) => v === 0)).toBe(true);
    expect(m.layers[5]!.weights[0]!.shape).toEqual([3136, 100]);
  });

  it('is reproducible from a model seed', () => {
    const a = sequential({ seed: 7, layers: [layers.dense({ units: 3, inputShape: [2] })] });
    const b = sequential({ seed: 7, layers: [layers.dense({ units: 3, inputShape: [2] })] });
    expect(a.getWeights()).toEqual(b.getWeights());
  });

  it('setWeights checks every array before writing', () => {
    const m = seedCnn();
    const before = m.getWeights();
    const bad = before.map((w) => w.slice());
    bad[bad.length - 1] = new Float32Array(3);
    bad[0]!.fill(5);
    expect(() => m.setWeights(bad)).toThrow(/"bias" needs 10 values, got 3/);
    const same = m.getWeights().every((w, i) => w.length === before[i]!.length && w.every((v, j) => v === before[i]![j]));
    expect(same).toBe(true);
  });
});

describe('compareSummaries', () => {
  it('matches the Sequential and functional CNN', () => {
    const c = compareSummaries(seedCnn().summaryRows(), seedCnnFunctional().summaryRows());
    expect(c.totalsAgree).toBe(true);
    expect(c.equivalent).toBe(true);
    expect(c.rows[0]!.status).toBe('onlyB');
  });

  it('reports differing rows', () => {
    const c = compareSummaries(seedCnn().summaryRows(), branched().summaryRows());
    expect(c.equivalent).toBe(false);
    expect(c.rows.some((r) => r.status === 'differ' && r.differences.includes('className'))).toBe(true);
  });
});
