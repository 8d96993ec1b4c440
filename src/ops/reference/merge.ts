// CPU reference of the elementwise merge ops (Keras's Subtract, Multiply, Maximum, Minimum, two
// inputs at a time) and of the gradient Maximum and Minimum send to one input:
//   merge:     y = a - b, a * b, max(a, b) or min(a, b)
//   mergeGrad: dx = dy * share(a, b): 1 where a wins (a > b for maximum, a < b for minimum),
//              1/2 on a tie, 0 where b wins; the other input's gradient swaps a and b.
// Ties split the gradient evenly as JAX does (jnp.maximum), Keras 3's default backend.

export type MergeKind = 'subtract' | 'multiply' | 'maximum' | 'minimum';
export type WinnerKind = 'maximum' | 'minimum';

/** Codes of MergeKind in shaders/merge.wgsl and shaders/merge_grad.wgsl. */
export const MERGE_CODES: { readonly [K in MergeKind]: number } = { subtract: 0, multiply: 1, maximum: 2, minimum: 3 };

function combine(a: number, b: number, kind: MergeKind): number {
  switch (kind) {
    case 'subtract':
      return a - b;
    case 'multiply':
      return a * b;
    case 'maximum':
      return Math.max(a, b);
    case 'minimum':
      return Math.min(a, b);
  }
}

export function merge(a: Float32Array, b: Float32Array, kind: MergeKind): Float32Array {
  if (a.length !== b.length) throw new Error(`merge ${kind}: sizes differ (${a.length} vs ${b.length})`);
  const y = new Float32Array(a.length);
  for (let i = 0; i < y.length; i++) y[i] = combine(a[i], b[i], kind);
  return y;
}

/** a's share of the gradient of max(a, b) or min(a, b). */
export function winnerShare(a: number, b: number, kind: WinnerKind): number {
  if (a === b) return 0.5;
  return (kind === 'maximum' ? a > b : a < b) ? 1 : 0;
}

export function mergeGrad(dy: Float32Array, a: Float32Array, b: Float32Array, kind: WinnerKind): Float32Array {
  const dx = new Float32Array(dy.length);
  for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * winnerShare(a[i], b[i], kind);
  return dx;
}
