// Fast CPU elementwise pieces of a training step that sit between the gemm-based ops: the
// activation gradient (in place, from the forward output) and the bias gradient. The readable
// specs are ops/reference/activation.ts and biasGrad.ts; these avoid their per-element switch and
// fresh allocations, which cost more than conv2's pooling at batch 32.
import { activationGrad, type ElementwiseActivation } from '../activations';

/** dy[i] *= activation'(y[i]), in place, for the first n elements. */
export function activationGradInPlace(dy: Float32Array, y: Float32Array, kind: ElementwiseActivation, n = dy.length): void {
  switch (kind) {
    case 'linear':
      return;
    case 'relu':
      // A multiply, not a branch: half the signs are random, and mispredictions made the branch 2x slower.
      for (let i = 0; i < n; i++) dy[i] *= +(y[i] > 0);
      return;
    default:
      for (let i = 0; i < n; i++) dy[i] *= activationGrad(y[i], kind);
  }
}

/** db[c] (+)= sum over rows of dy[r, c], dy viewed as [rows, channels]; sums kept in float64. */
export function biasGradInto(dy: Float32Array, db: Float32Array, channels: number, accumulate = false): void {
  if (dy.length % channels !== 0) {
    throw new Error(`biasGradInto: ${dy.length} elements do not split into rows of ${channels} channels`);
  }
  const sums = new Float64Array(channels);
  for (let o = 0; o < dy.length; o += channels) {
    for (let c = 0; c < channels; c++) sums[c] += dy[o + c];
  }
  for (let c = 0; c < channels; c++) db[c] = accumulate ? db[c] + sums[c] : sums[c];
}
