// A regularization penalty, Keras's L1L2: p = (l1 * sum|x| + l2 * sum x^2) / divide, and its
// gradient dp/dx = (l1 * sign(x) + 2 * l2 * x) / divide (sign(0) = 0, as jax.numpy.sign).
// divide is 1 for a weight and the batch size for an activity (Keras 3 divides by it).

export interface PenaltyParams {
  l1: number;
  l2: number;
  divide: number;
}

/** The penalty of x, summed in float64. */
export function penaltyValue(x: Float32Array, p: PenaltyParams): number {
  let abs = 0;
  let squares = 0;
  for (let k = 0; k < x.length; k++) {
    abs += Math.abs(x[k]);
    squares += x[k] * x[k];
  }
  return (p.l1 * abs + p.l2 * squares) / p.divide;
}

/** dp/dx into `dx`. */
export function penaltyGrad(x: Float32Array, p: PenaltyParams, dx: Float32Array): void {
  for (let k = 0; k < x.length; k++) dx[k] = (p.l1 * Math.sign(x[k]) + 2 * p.l2 * x[k]) / p.divide;
}
