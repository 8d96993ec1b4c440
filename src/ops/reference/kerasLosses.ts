// CPU reference of every Keras loss the engines run (Keras 3 semantics, reduction
// sum_over_batch_size): per-sample loss [B] and the gradient of weight * mean_b(loss[b]) wrt the
// prediction [B, K]. Cross-entropies on probabilities normalize and clip them to [1e-7, 1 - 1e-7]
// as Keras does; from logits they use log-softmax / log-sigmoid. The clips pass no gradient.
import { EPSILON, type LossKind, type LossOptions } from '../losses';
import { categoricalCrossentropy, type Arr, type FusedLossResult, type LossResult } from './losses';

type Term = (p: number, t: number) => [number, number];

const make = <T extends Arr>(like: T, n: number): T => new (like.constructor as new (n: number) => T)(n);
const clip = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);
/** log(1 + e^x) without overflow. */
const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Per element of a row: the loss term and its derivative wrt the prediction. */
export function elementTerm(kind: LossKind, opts: LossOptions = {}): Term {
  const delta = opts.delta ?? 1;
  switch (kind) {
    case 'binary_crossentropy':
      if (opts.fromLogits) return (z, t) => [softplus(z) - z * t, sigmoid(z) - t];
      return (raw, t) => {
        const p = clip(raw, EPSILON, 1 - EPSILON);
        const inside = raw >= EPSILON && raw <= 1 - EPSILON;
        return [-(t * Math.log(p) + (1 - t) * Math.log(1 - p)), inside ? (p - t) / (p * (1 - p)) : 0];
      };
    case 'mean_squared_error':
      return (p, t) => [(p - t) ** 2, 2 * (p - t)];
    case 'mean_absolute_error':
      return (p, t) => [Math.abs(p - t), Math.sign(p - t)];
    case 'mean_absolute_percentage_error':
      return (p, t) => {
        const d = Math.max(Math.abs(t), EPSILON);
        return [(100 * Math.abs(t - p)) / d, (100 * Math.sign(p - t)) / d];
      };
    case 'mean_squared_logarithmic_error':
      return (p, t) => {
        const d = Math.log(Math.max(p, EPSILON) + 1) - Math.log(Math.max(t, EPSILON) + 1);
        return [d * d, p > EPSILON ? (2 * d) / (p + 1) : 0];
      };
    case 'huber':
      return (p, t) => {
        const e = p - t;
        return Math.abs(e) <= delta ? [0.5 * e * e, e] : [delta * Math.abs(e) - 0.5 * delta * delta, delta * Math.sign(e)];
      };
    case 'log_cosh':
      return (p, t) => [p - t + softplus(-2 * (p - t)) - Math.LN2, Math.tanh(p - t)];
    case 'kl_divergence':
      return (raw, t) => {
        const [p, q] = [clip(raw, EPSILON, 1), clip(t, EPSILON, 1)];
        return [q * Math.log(q / p), raw >= EPSILON && raw <= 1 ? -q / p : 0];
      };
    case 'hinge':
      return (p, t) => (1 - t * p > 0 ? [1 - t * p, -t] : [0, 0]);
    default:
      throw new Error(`elementTerm: ${kind} is not an elementwise loss`);
  }
}

/** Keras's hinge labels: a batch of only 0s and 1s becomes -1/1; other labels stay. */
export function hingeTargets<T extends Arr>(t: T): T {
  return t.every((v) => v === 0 || v === 1) ? (t.map((v) => 2 * v - 1) as T) : t;
}

/** Keras's label smoothing: toward 0.5 for binary cross-entropy, toward 1 / K for categorical. */
export function smoothLabels<T extends Arr>(t: T, smoothing: number, toward: number): T {
  return smoothing === 0 ? t : (t.map((v) => v * (1 - smoothing) + smoothing * toward) as T);
}

/** Sums (kl_divergence) or averages (the others) an element term over the last axis. */
function rowwise<T extends Arr>(pred: T, target: Arr, cols: number, weight: number, term: Term, sum: boolean): LossResult<T> {
  const rows = pred.length / cols;
  const per = sum ? 1 : 1 / cols;
  const loss = make(pred, rows);
  const grad = make(pred, pred.length);
  for (let i = 0; i < pred.length; i++) {
    const [value, slope] = term(pred[i], target[i]);
    loss[Math.floor(i / cols)] += value * per;
    grad[i] = (slope * per * weight) / rows;
  }
  return { loss, grad };
}

/**
 * Categorical cross-entropy on probabilities as Keras computes it: q = p / sum(p), clipped, then
 * -sum t log q. The gradient goes through the normalization: dL/dp_j = (g_j - sum_k g_k q_k) / S.
 */
export function probabilityCrossentropy<T extends Arr>(pred: T, target: Arr, cols: number, weight = 1): LossResult<T> {
  const rows = pred.length / cols;
  const loss = make(pred, rows);
  const grad = make(pred, pred.length);
  for (let base = 0; base < pred.length; base += cols) {
    let s = 0;
    for (let k = 0; k < cols; k++) s += pred[base + k];
    let gq = 0;
    const g: number[] = [];
    for (let k = 0; k < cols; k++) {
      const q = pred[base + k] / s;
      const c = clip(q, EPSILON, 1 - EPSILON);
      loss[base / cols] -= target[base + k] * Math.log(c);
      g.push(q >= EPSILON && q <= 1 - EPSILON ? -target[base + k] / c : 0);
      gq += g[k] * q;
    }
    for (let k = 0; k < cols; k++) grad[base + k] = ((g[k] - gq) / s) * (weight / rows);
  }
  return { loss, grad };
}

export function oneHot(labels: Uint32Array, cols: number): Float64Array {
  const t = new Float64Array(labels.length * cols);
  labels.forEach((label, b) => {
    if (label >= cols) throw new Error(`sparse_categorical_crossentropy: label ${label} of sample ${b} is not below ${cols}`);
    t[b * cols + label] = 1;
  });
  return t;
}

/** Any loss on the prediction itself (not fused with a softmax): loss [B] and grad [B, K]. */
export function kerasLoss<T extends Arr>(
  kind: LossKind, pred: T, target: Arr | Uint32Array, cols: number, opts: LossOptions = {}, weight = 1,
): LossResult<T> {
  const smoothing = opts.labelSmoothing ?? 0;
  switch (kind) {
    case 'sparse_categorical_crossentropy':
    case 'categorical_crossentropy': {
      const dense = kind === 'sparse_categorical_crossentropy' ? oneHot(target as Uint32Array, cols) : (target as Arr);
      const t = kind === 'categorical_crossentropy' ? smoothLabels(dense, smoothing, 1 / cols) : dense;
      if (!opts.fromLogits) return probabilityCrossentropy(pred, t, cols, weight);
      const { loss, grad } = categoricalCrossentropy(pred, t, cols, weight);
      return { loss, grad };
    }
    case 'binary_crossentropy':
      return rowwise(pred, smoothLabels(target as Arr, smoothing, 0.5), cols, weight, elementTerm(kind, opts), false);
    case 'hinge':
      return rowwise(pred, hingeTargets(target as Arr), cols, weight, elementTerm(kind, opts), false);
    default:
      return rowwise(pred, target as Arr, cols, weight, elementTerm(kind, opts), kind === 'kl_divergence');
  }
}

/**
 * kl_divergence on softmax(logits), fused like the cross-entropies: with t = clip(target, 1e-7, 1),
 * sum t log t - sum t log softmax(z); the gradient wrt the logits is sum(t) softmax(z) - t.
 */
export function softmaxKlDivergence<T extends Arr>(logits: T, target: Arr, cols: number, weight = 1): FusedLossResult<T> {
  const t = target.map((v) => clip(v, EPSILON, 1)) as Arr;
  const r = categoricalCrossentropy(logits, t, cols, weight);
  for (let i = 0; i < t.length; i++) r.loss[Math.floor(i / cols)] += t[i] * Math.log(t[i]);
  return r;
}
