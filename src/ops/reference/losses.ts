// CPU reference of the loss kernels (Keras semantics, reduction sum_over_batch_size): per-sample
// loss [B] (unweighted) and the gradient of weight * mean_b(loss[b]) wrt the prediction/logits.
import { softmax } from './softmax';

export type Arr = Float32Array | Float64Array;

export interface LossResult<T extends Arr> {
  loss: T; // [B]
  grad: T; // [B, K]
}

export interface FusedLossResult<T extends Arr> extends LossResult<T> {
  probs: T; // [B, K]
}

const make = <T extends Arr>(like: T, n: number): T => new (like.constructor as new (n: number) => T)(n);

/** Softmax + sparse categorical cross-entropy from logits [B, K] and labels [B]. */
export function softmaxCrossEntropy<T extends Arr>(logits: T, labels: Uint32Array, cols: number, weight = 1): FusedLossResult<T> {
  const targets = make(logits, logits.length);
  labels.forEach((label, b) => {
    if (label >= cols) throw new Error(`softmaxCrossEntropy: label ${label} of sample ${b} is not below ${cols}`);
    targets[b * cols + label] = 1;
  });
  return categoricalCrossentropy(logits, targets, cols, weight);
}

/** Softmax + categorical cross-entropy with probability targets [B, K]: -sum_k t log softmax(z). */
export function categoricalCrossentropy<T extends Arr>(logits: T, targets: Arr, cols: number, weight = 1): FusedLossResult<T> {
  const rows = logits.length / cols;
  const probs = softmax(logits, cols);
  const loss = make(logits, rows);
  const grad = make(logits, logits.length);
  for (let b = 0; b < rows; b++) {
    // -sum_k t_k log p_k with log p_k = z_k - logsumexp(z): finite even where p_k underflows to 0
    // (0 * log 0 would be NaN), as the GPU kernel computes it.
    let m = -Infinity;
    for (let k = 0; k < cols; k++) m = Math.max(m, logits[b * cols + k]);
    let s = 0;
    for (let k = 0; k < cols; k++) s += Math.exp(logits[b * cols + k] - m);
    const logSumExp = m + Math.log(s);
    let tSum = 0;
    for (let k = 0; k < cols; k++) {
      const i = b * cols + k;
      tSum += targets[i];
      if (targets[i] !== 0) loss[b] -= targets[i] * (logits[i] - logSumExp);
    }
    for (let k = 0; k < cols; k++) {
      const i = b * cols + k;
      grad[i] = ((tSum * probs[i] - targets[i]) * weight) / rows;
    }
  }
  return { probs, loss, grad };
}

/** Elementwise loss term and its derivative wrt the prediction, averaged over the last axis. */
function meanOverLastAxis<T extends Arr>(
  pred: T, target: Arr, cols: number, weight: number, term: (p: number, t: number) => [number, number],
): LossResult<T> {
  const rows = pred.length / cols;
  const loss = make(pred, rows);
  const grad = make(pred, pred.length);
  for (let i = 0; i < pred.length; i++) {
    const [value, slope] = term(pred[i], target[i]);
    loss[Math.floor(i / cols)] += value / cols;
    grad[i] = (slope * weight) / (cols * rows);
  }
  return { loss, grad };
}

export function mse<T extends Arr>(pred: T, target: Arr, cols: number, weight = 1): LossResult<T> {
  return meanOverLastAxis(pred, target, cols, weight, (p, t) => [(p - t) ** 2, 2 * (p - t)]);
}

/** Mean absolute error; the gradient at pred == target is 0. */
export function mae<T extends Arr>(pred: T, target: Arr, cols: number, weight = 1): LossResult<T> {
  return meanOverLastAxis(pred, target, cols, weight, (p, t) => [Math.abs(p - t), Math.sign(p - t)]);
}

/** Keras's epsilon and the float32 value of 1 - epsilon, where the clip sits in float32 Keras. */
export const BCE_LOW = Math.fround(1e-7);
export const BCE_HIGH = Math.fround(1 - 1e-7);

/** Binary cross-entropy on probabilities clipped to [1e-7, 1 - 1e-7]; no gradient outside the clip. */
export function binaryCrossentropy<T extends Arr>(pred: T, target: Arr, cols: number, weight = 1): LossResult<T> {
  return meanOverLastAxis(pred, target, cols, weight, (raw, t) => {
    const p = Math.min(Math.max(raw, BCE_LOW), BCE_HIGH);
    const value = -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
    const inside = raw >= BCE_LOW && raw <= BCE_HIGH;
    return [value, inside ? (p - t) / (p * (1 - p)) : 0];
  });
}
