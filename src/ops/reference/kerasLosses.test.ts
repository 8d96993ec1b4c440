// Every loss against Keras 3.15.1's numbers (tests/fixtures/keras/losses, made by make_losses.py
// with jax.grad for the gradients), and every gradient against finite differences.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertClose, finiteDiff, randomArray } from '../../../tests/util/check';
import type { LossKind, LossOptions } from '../losses';
import { hingeTargets, kerasLoss } from './kerasLosses';

interface LossCase {
  name: string;
  config: { class_name: string; config: { from_logits?: boolean; label_smoothing?: number; delta?: number } };
  y_true: number[][] | number[];
  y_pred: number[][];
  per_sample: number[];
  loss: number;
  grad: number[][];
}

const FIXTURE = JSON.parse(readFileSync(new URL('../../../tests/fixtures/keras/losses/keras3.15.1_losses.json', import.meta.url), 'utf8'));
const KIND: Record<string, LossKind> = {
  BinaryCrossentropy: 'binary_crossentropy',
  CategoricalCrossentropy: 'categorical_crossentropy',
  SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  MeanSquaredError: 'mean_squared_error',
  MeanAbsoluteError: 'mean_absolute_error',
  MeanAbsolutePercentageError: 'mean_absolute_percentage_error',
  MeanSquaredLogarithmicError: 'mean_squared_logarithmic_error',
  Huber: 'huber',
  LogCosh: 'log_cosh',
  KLDivergence: 'kl_divergence',
  Hinge: 'hinge',
};
// Keras 3.15.1's Huber.get_config leaves delta out; the fixture's case names carry it.
const DELTA: Record<string, number> = { huber_delta: 0.5 };

function setup(c: LossCase): { kind: LossKind; opts: LossOptions; pred: Float64Array; target: Float64Array | Uint32Array; cols: number } {
  const kind = KIND[c.config.class_name];
  const cfg = c.config.config;
  const opts = { fromLogits: cfg.from_logits ?? false, labelSmoothing: cfg.label_smoothing ?? 0, delta: DELTA[c.name] ?? 1 };
  const pred = Float64Array.from(c.y_pred.flat());
  const sparse = kind === 'sparse_categorical_crossentropy';
  const target = sparse ? Uint32Array.from(c.y_true as number[]) : Float64Array.from((c.y_true as number[][]).flat());
  return { kind, opts, pred, target, cols: c.y_pred[0].length };
}

const mean = (x: ArrayLike<number>) => Array.from(x).reduce((a, b) => a + b, 0) / x.length;

describe('Keras losses (CPU reference) against Keras 3.15.1', () => {
  it('the fixture covers every loss kind', () => {
    const kinds = new Set((FIXTURE.losses as LossCase[]).map((c) => KIND[c.config.class_name]));
    expect([...kinds].sort()).toEqual(Object.values(KIND).sort());
  });

  for (const c of FIXTURE.losses as LossCase[]) {
    it(`${c.name}: per-sample losses, the reduced loss and its gradient`, () => {
      const { kind, opts, pred, target, cols } = setup(c);
      const r = kerasLoss(kind, pred, target, cols, opts);
      assertClose(r.loss, c.per_sample, { atol: 1e-6, rtol: 1e-5 }, `${c.name} per sample`);
      expect(mean(r.loss)).toBeCloseTo(c.loss, 5);
      assertClose(r.grad, c.grad.flat(), { atol: 1e-6, rtol: 1e-4 }, `${c.name} grad`);
    });

    it(`${c.name}: gradient matches finite differences (weight 0.7)`, () => {
      const { kind, opts, pred, target, cols } = setup(c);
      const f = (x: Float64Array) => 0.7 * mean(kerasLoss(kind, x, target, cols, opts).loss);
      assertClose(kerasLoss(kind, pred, target, cols, opts, 0.7).grad, finiteDiff(f, pred, 1e-6), { atol: 1e-6, rtol: 1e-5 }, c.name);
    });
  }

  it('hinge converts 0/1 labels to -1/1 only when the whole batch is binary', () => {
    expect(Array.from(hingeTargets(Float64Array.from([0, 1, 1])))).toEqual([-1, 1, 1]);
    expect(Array.from(hingeTargets(Float64Array.from([0, 1, 0.5])))).toEqual([0, 1, 0.5]);
  });

  it('huber switches from quadratic to linear at delta', () => {
    const pred = Float64Array.from([0.5, 3]);
    const r = kerasLoss('huber', pred, new Float64Array(2), 1, { delta: 2 });
    assertClose(r.loss, [0.125, 2 * 3 - 2], { atol: 1e-12, rtol: 0 }, 'huber');
    assertClose(r.grad, [0.25, 1], { atol: 1e-12, rtol: 0 }, 'huber grad');
  });

  it('log_cosh stays finite for large errors', () => {
    const r = kerasLoss('log_cosh', Float64Array.from([800, -800]), new Float64Array(2), 1);
    assertClose(r.loss, [800 - Math.LN2, 800 - Math.LN2], { atol: 1e-9, rtol: 0 }, 'log_cosh');
  });

  it('random regression batches: every elementwise gradient matches finite differences', () => {
    const pred = Float64Array.from(randomArray(12, 3, 0.1, 0.9));
    const target = Float64Array.from(randomArray(12, 4, 0.1, 0.9));
    for (const kind of ['mean_absolute_percentage_error', 'mean_squared_logarithmic_error', 'log_cosh', 'kl_divergence', 'hinge'] as const) {
      const f = (x: Float64Array) => mean(kerasLoss(kind, x, target, 4).loss);
      assertClose(kerasLoss(kind, pred, target, 4).grad, finiteDiff(f, pred, 1e-6), { atol: 1e-6, rtol: 1e-5 }, kind);
    }
  });
});
