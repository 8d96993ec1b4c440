// CPU reference of the metrics, Keras 3 semantics: each returns the sum over rows of the
// per-row value (the engines add it to a slot; the log divides by the sample count).
import { BINARY_THRESHOLD, TOP_K, type MetricKind } from '../losses';
import { argmax, type Arr } from './metrics';

/** Keras's in_top_k: the label's rank (1 + how many predictions are strictly greater) is at most k; NaN never counts. */
export function inTopK(pred: ArrayLike<number>, start: number, cols: number, label: number, k: number): boolean {
  const at = Number.isNaN(pred[start + label]) ? -Infinity : pred[start + label];
  let rank = 1;
  for (let c = 0; c < cols; c++) if (pred[start + c] > at) rank++;
  return rank <= k;
}

/** Sum over rows of the metric's per-row value; targets are uint32 labels for the sparse metrics. */
export function metricSum(kind: MetricKind, pred: Arr, target: Arr | Uint32Array, cols: number): number {
  const rows = pred.length / cols;
  let total = 0;
  for (let b = 0; b < rows; b++) {
    const base = b * cols;
    switch (kind) {
      case 'sparse_categorical_accuracy':
        total += argmax(pred, base, cols) === target[b] ? 1 : 0;
        break;
      case 'sparse_top_k_categorical_accuracy':
        total += inTopK(pred, base, cols, target[b], TOP_K) ? 1 : 0;
        break;
      case 'categorical_accuracy':
        total += argmax(pred, base, cols) === argmax(target, base, cols) ? 1 : 0;
        break;
      case 'top_k_categorical_accuracy':
        total += inTopK(pred, base, cols, argmax(target, base, cols), TOP_K) ? 1 : 0;
        break;
      default:
        for (let k = 0; k < cols; k++) total += elementValue(kind, pred[base + k], target[base + k]) / cols;
    }
  }
  return total;
}

function elementValue(kind: MetricKind, p: number, t: number): number {
  switch (kind) {
    case 'binary_accuracy':
      return (p > BINARY_THRESHOLD ? 1 : 0) === t ? 1 : 0;
    case 'mean_absolute_error':
      return Math.abs(p - t);
    case 'mean_squared_error':
      return (p - t) ** 2;
    default:
      throw new Error(`metricSum: ${kind} is not an elementwise metric`);
  }
}
