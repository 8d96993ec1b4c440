import { describe, expect, it } from 'vitest';
import { assertClose, finiteDiff, randomArray } from '../../../tests/util/check';
import { binaryCrossentropy, categoricalCrossentropy, mae, mse, softmaxCrossEntropy, type Arr } from './losses';

const f64 = (n: number, seed: number, lo = -1, hi = 1) => Float64Array.from(randomArray(n, seed, lo, hi));
const mean = (x: Arr) => Array.from(x).reduce((a, b) => a + b, 0) / x.length;
const tol = { atol: 1e-8, rtol: 1e-6 };
const [B, K, W] = [3, 4, 0.7]; // batch, classes, loss weight

describe('losses (CPU reference)', () => {
  it('match hand-computed values', () => {
    const sce = softmaxCrossEntropy(Float64Array.from([0, Math.log(3)]), Uint32Array.from([1]), 2);
    expect(sce.loss[0]).toBeCloseTo(-Math.log(0.75), 12);
    assertClose(sce.grad, [0.25, -0.25], tol, 'sce grad');
    expect(mse(Float64Array.from([1, 2]), Float64Array.from([0, 0]), 2).loss[0]).toBe(2.5);
    expect(mae(Float64Array.from([1, -2]), Float64Array.from([0, 0]), 2).loss[0]).toBe(1.5);
    expect(binaryCrossentropy(Float64Array.from([0.5]), Float64Array.from([1]), 1).loss[0]).toBeCloseTo(Math.LN2, 12);
  });

  it('softmaxCrossEntropy grad wrt logits (finite differences)', () => {
    const z = f64(B * K, 1, -2, 2);
    const labels = Uint32Array.from([2, 0, 3]);
    const f = (x: Float64Array) => W * mean(softmaxCrossEntropy(x, labels, K).loss);
    assertClose(softmaxCrossEntropy(z, labels, K, W).grad, finiteDiff(f, z, 1e-5), tol, 'dz');
  });

  it('categoricalCrossentropy grad wrt logits, targets not summing to 1', () => {
    const z = f64(B * K, 2, -2, 2);
    const t = f64(B * K, 3, 0, 1);
    const f = (x: Float64Array) => W * mean(categoricalCrossentropy(x, t, K).loss);
    assertClose(categoricalCrossentropy(z, t, K, W).grad, finiteDiff(f, z, 1e-5), tol, 'dz');
  });

  for (const [name, loss] of [['mse', mse], ['mae', mae], ['binaryCrossentropy', binaryCrossentropy]] as const) {
    it(`${name} grad wrt pred (finite differences)`, () => {
      const p = f64(B * K, 4, 0.05, 0.95);
      const t = name === 'binaryCrossentropy' ? f64(B * K, 5, 0, 1) : p.map((v, i) => v + (i % 2 ? 0.3 : -0.2));
      const f = (x: Float64Array) => W * mean(loss(x, t, K).loss);
      assertClose(loss(p, t, K, W).grad, finiteDiff(f, p, 1e-6), { atol: 1e-7, rtol: 1e-5 }, name);
    });
  }

  it('mae gradient is 0 where pred equals target', () => {
    expect(Array.from(mae(Float64Array.from([1, 2]), Float64Array.from([1, 0]), 2).grad)).toEqual([0, 0.5]);
  });

  it('binaryCrossentropy clips like Keras and passes no gradient outside the clip', () => {
    const r = binaryCrossentropy(Float64Array.from([0, 1]), Float64Array.from([1, 0]), 1);
    expect(r.loss[0]).toBeCloseTo(-Math.log(Math.fround(1e-7)), 6); // 16.118
    expect(r.loss[1]).toBeCloseTo(-Math.log(1 - Math.fround(1 - 1e-7)), 6); // float32 1 - eps
    expect(Array.from(r.grad)).toEqual([0, 0]);
  });
});

describe('cross-entropy far from the decision boundary', () => {
  it('stays finite when other classes have probabilities that underflow to 0 in float32', () => {
    // A confident, right prediction: softmax gives exactly 0 for the other classes in float32.
    const logits = Float32Array.of(120, -40, 3);
    const r = softmaxCrossEntropy(logits, Uint32Array.of(0), 3);
    expect(r.probs[1]).toBe(0);
    expect(Number.isFinite(r.loss[0])).toBe(true);
    expect(r.loss[0]).toBeCloseTo(0, 6);
    // And a confident, wrong one: the loss is the logit gap, not Infinity.
    const wrong = softmaxCrossEntropy(Float32Array.of(120, -40, 3), Uint32Array.of(1), 3);
    expect(wrong.loss[0]).toBeCloseTo(160, 3);
  });
});
