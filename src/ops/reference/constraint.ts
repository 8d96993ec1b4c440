// Keras's weight constraints, applied in place after an update. The norm of MaxNorm, UnitNorm and
// MinMaxNorm runs over `axes` of the weight (one norm per index of the other axes): for a Dense
// kernel [in, out] with axis 0, one norm per output unit. eps is Keras's backend.epsilon().
//   MaxNorm:    w * clip(n, 0, max) / (eps + n)
//   UnitNorm:   w / (eps + n)
//   MinMaxNorm: w * (rate * clip(n, min, max) + (1 - rate) * n) / (eps + n)
//   NonNeg:     max(w, 0)

export type ConstraintKind = 'MaxNorm' | 'NonNeg' | 'UnitNorm' | 'MinMaxNorm';

export interface ConstraintParams {
  kind: ConstraintKind;
  shape: readonly number[];
  /** The axes the norm runs over, sorted. */
  axes: readonly number[];
  minValue: number;
  maxValue: number;
  rate: number;
}

export const EPSILON = 1e-7;

/** The factor that multiplies every element of a group whose norm is `norm`. */
export function constraintFactor(c: ConstraintParams, norm: number): number {
  const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  switch (c.kind) {
    case 'MaxNorm':
      return clip(norm, 0, c.maxValue) / (EPSILON + norm);
    case 'UnitNorm':
      return 1 / (EPSILON + norm);
    case 'MinMaxNorm':
      return (c.rate * clip(norm, c.minValue, c.maxValue) + (1 - c.rate) * norm) / (EPSILON + norm);
    case 'NonNeg':
      return 1;
  }
}

/** Each element's group: its index with the norm's axes left out. */
export function groupIndex(shape: readonly number[], axes: readonly number[]): { groups: number; of: Uint32Array } {
  const size = shape.reduce((a, d) => a * d, 1);
  const of = new Uint32Array(size);
  const kept = shape.map((_, a) => a).filter((a) => !axes.includes(a));
  const groups = kept.reduce((g, a) => g * shape[a], 1);
  const coord = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    let g = 0;
    for (const a of kept) g = g * shape[a] + coord[a];
    of[k] = g;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++coord[a] < shape[a]) break;
      coord[a] = 0;
    }
  }
  return { groups, of };
}

export function applyConstraint(w: Float32Array, c: ConstraintParams): void {
  if (c.kind === 'NonNeg') {
    for (let k = 0; k < w.length; k++) w[k] = Math.max(w[k], 0);
    return;
  }
  const { groups, of } = groupIndex(c.shape, c.axes);
  const squares = new Float64Array(groups);
  for (let k = 0; k < w.length; k++) squares[of[k]] += w[k] * w[k];
  const factor = Float64Array.from(squares, (s) => constraintFactor(c, Math.sqrt(s)));
  for (let k = 0; k < w.length; k++) w[k] *= factor[of[k]];
}
