// The batch-normalization references against independent float64 computations: moments as
// E[x^2] - E[x]^2, normalize written out per element, and the gradients (dgamma, dbeta, dx with
// fixed and with batch statistics) against central finite differences of a float64 forward pass.
import { describe, expect, it } from 'vitest';
import { assertClose, dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { moments, normalize, normalizeGradInput, normalizeGradSums } from './batchNorm';

const EPS = 0.01;

/** float64 batch normalization of x [rows, C], with the batch's statistics or given ones. */
function forward64(x: ArrayLike<number>, channels: number, gamma: ArrayLike<number>, beta: ArrayLike<number>, fixed?: { mean: ArrayLike<number>; variance: ArrayLike<number> }): Float64Array {
  const rows = x.length / channels;
  const y = new Float64Array(x.length);
  for (let c = 0; c < channels; c++) {
    let s = 0;
    let q = 0;
    for (let r = 0; r < rows; r++) {
      s += x[r * channels + c];
      q += x[r * channels + c] ** 2;
    }
    const mean = fixed ? fixed.mean[c] : s / rows;
    const variance = fixed ? fixed.variance[c] : q / rows - mean * mean;
    for (let r = 0; r < rows; r++) {
      const i = r * channels + c;
      y[i] = ((x[i] - mean) / Math.sqrt(variance + EPS)) * gamma[c] + beta[c];
    }
  }
  return y;
}

describe.each([[1, 1], [7, 3], [64, 17]])('batch normalization references, rows %i, channels %i', (rows, channels) => {
  const x = randomArray(rows * channels, rows + channels, -2, 3);
  const gamma = randomArray(channels, 2, 0.5, 1.5);
  const beta = randomArray(channels, 3);
  const w = randomArray(rows * channels, 4); // loss = sum(w * y): dy = w

  it('moments: the mean and biased variance, as E[x^2] - E[x]^2', () => {
    const { mean, variance } = moments(x, channels);
    for (let c = 0; c < channels; c++) {
      const column = Array.from({ length: rows }, (_, r) => x[r * channels + c]);
      const m = column.reduce((a, v) => a + v, 0) / rows;
      expect(mean[c]).toBeCloseTo(m, 5);
      expect(variance[c]).toBeCloseTo(column.reduce((a, v) => a + v * v, 0) / rows - m * m, 4);
    }
  });

  it('normalize: (x - mean) / sqrt(variance + epsilon) * gamma + beta; floor: / max(sqrt(variance), epsilon)', () => {
    const stats = moments(x, channels);
    const y = normalize(x, { ...stats, epsilon: EPS, floor: false }, gamma, beta);
    assertClose(y, forward64(x, channels, gamma, beta, stats), { atol: 1e-5, rtol: 1e-5 }, 'normalize');
    const floored = normalize(x, { mean: stats.mean, variance: Float32Array.from(stats.variance, (v, c) => (c === 0 ? 0 : v)), epsilon: 1e-7, floor: true }, null, null);
    const c0 = Array.from({ length: rows }, (_, r) => floored[r * channels]);
    c0.forEach((v, r) => expect(v / 1e7).toBeCloseTo(x[r * channels] - stats.mean[0], 5));
  });

  it('gradients with batch statistics match finite differences (dx through the mean and variance)', () => {
    const stats = { ...moments(x, channels), epsilon: EPS, floor: false };
    const sums = normalizeGradSums(w, x, stats);
    const fdGamma = finiteDiff((g) => dot(w, forward64(x, channels, g, beta)), gamma);
    const fdBeta = finiteDiff((b) => dot(w, forward64(x, channels, gamma, b)), beta);
    assertClose(sums.subarray(channels), fdGamma, { atol: 1e-3, rtol: 1e-3 }, 'dgamma');
    assertClose(sums.subarray(0, channels), fdBeta, { atol: 1e-3, rtol: 1e-3 }, 'dbeta');
    const dx = normalizeGradInput(w, x, stats, gamma, sums);
    const fdX = finiteDiff((v) => dot(w, forward64(v, channels, gamma, beta)), x, 1e-4);
    // One row: x - mean is 0 whatever x is, so the gradient is exactly 0.
    assertClose(dx, rows === 1 ? new Float64Array(x.length) : fdX, { atol: 2e-3, rtol: 2e-3 }, 'dx (batch statistics)');
  });

  it('gradient with fixed (moving) statistics: dx = dy * gamma / sqrt(variance + epsilon)', () => {
    const fixed = { mean: randomArray(channels, 5), variance: randomArray(channels, 6, 0.5, 2) };
    const dx = normalizeGradInput(w, x, { ...fixed, epsilon: EPS, floor: false }, gamma, null);
    const fdX = finiteDiff((v) => dot(w, forward64(v, channels, gamma, beta, fixed)), x, 1e-4);
    assertClose(dx, fdX, { atol: 1e-3, rtol: 1e-3 }, 'dx (fixed statistics)');
  });
});
