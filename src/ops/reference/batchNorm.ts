// CPU reference of the batch-normalization ops, on x viewed as [rows, C] (channels last; rows =
// N * H * W). The spec of shaders/moments.wgsl, normalize.wgsl, normalize.grad_sums.wgsl and
// normalize.grad_input.wgsl. Sums run in float64 and are rounded once, so this is the oracle the
// GPU's float32 tree reductions are compared with.
const f = Math.fround;

/** The per-channel statistics a normalization reads; mean null reads as zeros. */
export interface NormStats {
  mean: Float32Array | null;
  variance: Float32Array;
  /** BatchNormalization: 1 / sqrt(variance + epsilon). Normalization (floor): 1 / max(sqrt(variance), epsilon). */
  epsilon: number;
  floor: boolean;
}

/** 1 / sqrt(variance + epsilon), or 1 / max(sqrt(variance), epsilon) with `floor` (Keras's Normalization). */
export function inverseStd(variance: number, epsilon: number, floor: boolean): number {
  return floor ? 1 / Math.max(Math.sqrt(variance), epsilon) : 1 / Math.sqrt(variance + epsilon);
}

/** Per-channel mean and biased variance (divided by rows, as Keras's batch statistics) of x [rows, C]. */
export function moments(x: Float32Array, channels: number): { mean: Float32Array; variance: Float32Array } {
  const rows = x.length / channels;
  const mean = new Float32Array(channels);
  const variance = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += x[r * channels + c];
    const m = sum / rows;
    let squares = 0;
    for (let r = 0; r < rows; r++) squares += (x[r * channels + c] - m) ** 2;
    mean[c] = m;
    variance[c] = squares / rows;
  }
  return { mean, variance };
}

/** y [rows, C] = (x - mean) * inverseStd * gamma + beta per channel; gamma/beta null: 1/0. */
export function normalize(x: Float32Array, s: NormStats, gamma: Float32Array | null, beta: Float32Array | null): Float32Array {
  const channels = s.variance.length;
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    const centered = x[i] - (s.mean ? s.mean[c] : 0);
    const factor = inverseStd(s.variance[c], s.epsilon, s.floor) * (gamma ? gamma[c] : 1);
    y[i] = f(centered * factor + (beta ? beta[c] : 0));
  }
  return y;
}

/** sums [2, C]: row 0 the sum of dy, row 1 the sum of dy * xhat (xhat = (x - mean) * inverseStd): dbeta and dgamma. */
export function normalizeGradSums(dy: Float32Array, x: Float32Array, s: NormStats): Float32Array {
  const channels = s.variance.length;
  const sums = new Float64Array(2 * channels);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    const xhat = (x[i] - (s.mean ? s.mean[c] : 0)) * inverseStd(s.variance[c], s.epsilon, s.floor);
    sums[c] += dy[i];
    sums[channels + c] += dy[i] * xhat;
  }
  return Float32Array.from(sums);
}

/**
 * dx [rows, C] of y = normalize(x). With the statistics fixed (moving statistics, Normalization):
 * dx = dy * gamma * inverseStd. With `sums` (batch statistics: mean and biased variance are x's own
 * moments), the exact gradient through them too:
 * dx = gamma * inverseStd * (dy - (sum dy + xhat * sum dy*xhat) / rows).
 */
export function normalizeGradInput(dy: Float32Array, x: Float32Array, s: NormStats, gamma: Float32Array | null, sums: Float32Array | null): Float32Array {
  const channels = s.variance.length;
  const rows = x.length / channels;
  const dx = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    const rstd = inverseStd(s.variance[c], s.epsilon, s.floor);
    const factor = rstd * (gamma ? gamma[c] : 1);
    if (!sums) {
      dx[i] = f(dy[i] * factor);
      continue;
    }
    const xhat = (x[i] - (s.mean ? s.mean[c] : 0)) * rstd;
    dx[i] = f(factor * (dy[i] - (sums[c] + xhat * sums[channels + c]) / rows));
  }
  return dx;
}
