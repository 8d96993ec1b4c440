// Regularizers and constraints against Keras 3.15.1 (tests/fixtures/keras/make_regularizers.py):
// a model with every class on Dense and Conv2D loads, round-trips, and on the CPU engine gives
// Keras's evaluate loss (penalties included) and Keras's weights after one SGD step (constraints
// applied). The reference ops are checked against finite differences and the norms they promise.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromJSON, layers, modelToJSON, resetNameScope, sequential, toKerasPython } from './index.ts';
import { penaltyGrad, penaltyValue } from '../ops/reference/penalty.ts';
import { applyConstraint, groupIndex } from '../ops/reference/constraint.ts';
import { rng } from '../../tests/util/check.ts';

interface Fixture {
  model: unknown; weights: number[][]; x: number[] | number[][]; y: number[]; evaluate_loss: number; fit_loss: number; weights_after_step: number[][];
}
const readFixture = (name: string) => JSON.parse(readFileSync(new URL(`../../tests/fixtures/keras/${name}`, import.meta.url), 'utf8')) as Fixture;
const fixture = readFixture('keras3.15.1_regularizers.json');

/** Each fixture with its inputs' shapes: Dense and Conv2D; Conv1D and Conv2DTranspose; DepthwiseConv2D, SeparableConv2D and Embedding. */
const CASES = [
  { name: 'keras3.15.1_regularizers.json', shapes: [[4, 6, 6, 2]] },
  { name: 'keras3.15.1_regularizers_conv.json', shapes: [[4, 8, 3], [4, 4, 4, 2]] },
  { name: 'keras3.15.1_regularizers_depthwise.json', shapes: [[4, 5, 5, 2], [4, 4]] },
];

function kerasModel(f: Fixture) {
  resetNameScope();
  const m = fromJSON(JSON.stringify(f.model));
  m.setWeights(f.weights.map((w) => Float32Array.from(w)));
  return m;
}

function data(f: Fixture, shapes: number[][]) {
  const xs = (shapes.length === 1 ? [f.x] : f.x) as number[][];
  return { x: xs.map((x, k) => ({ data: Float32Array.from(x), shape: shapes[k]! })), y: { data: Uint32Array.from(f.y), shape: [4] } };
}

describe('regularizers and constraints, as Keras 3 computes them', () => {
  for (const { name, shapes } of CASES) {
    it(`${name}: the evaluate loss includes every penalty (weights, biases, activity / batch)`, async () => {
      const f = readFixture(name);
      const m = kerasModel(f);
      await m.compile({ optimizer: { kind: 'sgd', learningRate: 0.1 }, loss: 'sparse_categorical_crossentropy' });
      const { x, y } = data(f, shapes);
      const r = await m.evaluate(x, y, { batchSize: 4 });
      expect(r.loss).toBeCloseTo(f.evaluate_loss, 5);
    });

    it(`${name}: one SGD step gives Keras's logged loss and constrained weights`, async () => {
      const f = readFixture(name);
      const m = kerasModel(f);
      await m.compile({ optimizer: { kind: 'sgd', learningRate: 0.1 }, loss: 'sparse_categorical_crossentropy' });
      const { x, y } = data(f, shapes);
      const h = await m.fit(x, y, { batchSize: 4, epochs: 1, shuffle: false });
      expect(h.history.loss[0]).toBeCloseTo(f.fit_loss, 5);
      const after = m.getWeights();
      f.weights_after_step.forEach((w, k) => {
        const got = Array.from(after[k]);
        w.forEach((v, i) => expect(Math.abs(got[i] - v), `weight ${k} [${i}]`).toBeLessThan(1e-5));
      });
    });
  }

  it('round-trips through Keras JSON, and Python and the loss name them', () => {
    const m = kerasModel(fixture);
    const json = JSON.stringify(modelToJSON(m));
    resetNameScope();
    expect(JSON.stringify(modelToJSON(fromJSON(json)))).toBe(json);
    const layersJson = (JSON.parse(json) as { config: { layers: { name: string; config: Record<string, unknown> }[] } }).config.layers;
    const hidden = layersJson.find((l) => l.name === 'hidden')!.config;
    expect(hidden.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0.001, l2: 0.002 } });
    expect(hidden.bias_constraint).toEqual({ class_name: 'MinMaxNorm', config: { min_value: 0.1, max_value: 0.3, rate: 0.7, axis: 0 } });
    const py = toKerasPython(m);
    expect(py).toContain('kernel_regularizer=keras.regularizers.L2()');
    expect(py).toContain('kernel_constraint=keras.constraints.UnitNorm(axis=[0, 1, 2])');
    expect(py).toContain('activity_regularizer=keras.regularizers.L2(l2=0.05)');
  });

  it('refuses what Keras refuses, naming the option and the fix', () => {
    expect(() => layers.dense({ units: 2, kernelRegularizer: 'l3' as never })).toThrow(/kernelRegularizer: unknown regularizer "l3"; use one of L1, L2, L1L2/);
    expect(() => layers.dense({ units: 2, kernelRegularizer: { className: 'L2', config: { l1: 1 } } as never })).toThrow(/L2 has no argument "l1"; its arguments are l2/);
    expect(() => layers.dense({ units: 2, kernelConstraint: { className: 'MaxNorm', config: { max_value: -1 } } })).toThrow(/max_value must be a number >= 0/);
    const m = sequential();
    m.add(layers.dense({ units: 2, inputShape: [3], kernelConstraint: { className: 'UnitNorm', config: { axis: 2 } } }));
    expect(m.countParams()).toBe(8);
  });
});

describe('penalty and constraint reference ops', () => {
  it('the penalty gradient is the finite difference of the penalty', () => {
    const r = rng(3);
    const x = Float32Array.from({ length: 23 }, () => r() * 2 - 1);
    const p = { l1: 0.03, l2: 0.2, divide: 4 };
    const dx = new Float32Array(x.length);
    penaltyGrad(x, p, dx);
    for (let k = 0; k < x.length; k++) {
      const h = 1e-3;
      const plus = Float32Array.from(x);
      const minus = Float32Array.from(x);
      plus[k] += h;
      minus[k] -= h;
      expect(dx[k]).toBeCloseTo((penaltyValue(plus, p) - penaltyValue(minus, p)) / (2 * h), 3);
    }
  });

  it('MaxNorm, UnitNorm and MinMaxNorm give each group the norm they promise', () => {
    const r = rng(5);
    const shape = [3, 2, 4, 5];
    const axes = [0, 1, 2];
    const w0 = Float32Array.from({ length: 120 }, () => r() * 2 - 1);
    const norms = (w: Float32Array) => {
      const { groups, of } = groupIndex(shape, axes);
      const s = new Float64Array(groups);
      w.forEach((v, k) => (s[of[k]] += v * v));
      return Array.from(s, Math.sqrt);
    };
    // Groups run over the last axis here: 5 groups of 24 elements, element k in group k % 5.
    expect(groupIndex(shape, axes).of.slice(0, 7)).toEqual(Uint32Array.of(0, 1, 2, 3, 4, 0, 1));
    const unit = Float32Array.from(w0);
    applyConstraint(unit, { kind: 'UnitNorm', shape, axes, minValue: 0, maxValue: 0, rate: 1 });
    norms(unit).forEach((n) => expect(n).toBeCloseTo(1, 5));
    const max = Float32Array.from(w0);
    applyConstraint(max, { kind: 'MaxNorm', shape, axes, minValue: 0, maxValue: 1.5, rate: 1 });
    norms(max).forEach((n, g) => expect(n).toBeCloseTo(Math.min(norms(w0)[g], 1.5), 5));
    const minMax = Float32Array.from(w0);
    applyConstraint(minMax, { kind: 'MinMaxNorm', shape, axes, minValue: 3, maxValue: 4, rate: 0.5 });
    norms(minMax).forEach((n, g) => expect(n).toBeCloseTo(0.5 * Math.min(Math.max(norms(w0)[g], 3), 4) + 0.5 * norms(w0)[g], 4));
  });
});
