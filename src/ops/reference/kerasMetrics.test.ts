// Every metric against Keras 3.15.1's values (tests/fixtures/keras/losses), including a row of
// ties, where Keras's in_top_k counts every class as in the top k.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MetricKind } from '../losses';
import { inTopK, metricSum } from './kerasMetrics';

interface MetricCase {
  name: string;
  class_name: string;
  y_true: number[][] | number[];
  y_pred: number[][];
  value: number;
}

const FIXTURE = JSON.parse(readFileSync(new URL('../../../tests/fixtures/keras/losses/keras3.15.1_losses.json', import.meta.url), 'utf8'));
const KIND: Record<string, MetricKind> = {
  BinaryAccuracy: 'binary_accuracy',
  CategoricalAccuracy: 'categorical_accuracy',
  SparseCategoricalAccuracy: 'sparse_categorical_accuracy',
  TopKCategoricalAccuracy: 'top_k_categorical_accuracy',
  SparseTopKCategoricalAccuracy: 'sparse_top_k_categorical_accuracy',
  MeanAbsoluteError: 'mean_absolute_error',
  MeanSquaredError: 'mean_squared_error',
};

describe('Keras metrics (CPU reference) against Keras 3.15.1', () => {
  for (const c of FIXTURE.metrics as MetricCase[]) {
    it(c.name, () => {
      const kind = KIND[c.class_name];
      const pred = Float64Array.from(c.y_pred.flat());
      const cols = c.y_pred[0].length;
      const sparse = kind.startsWith('sparse');
      const target = sparse ? Uint32Array.from(c.y_true as number[]) : Float64Array.from((c.y_true as number[][]).flat());
      expect(metricSum(kind, pred, target, cols) / c.y_pred.length).toBeCloseTo(c.value, 6);
    });
  }

  it('in_top_k: rank is 1 + the number of strictly greater predictions; NaN is never in', () => {
    const p = [0.1, 0.5, 0.5, 0.2];
    expect(inTopK(p, 0, 4, 2, 1)).toBe(true);
    expect(inTopK(p, 0, 4, 0, 3)).toBe(false);
    expect(inTopK([NaN, 1], 0, 2, 0, 1)).toBe(false);
  });
});
