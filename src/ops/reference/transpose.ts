// CPU reference of `transpose`: y = x with its axes permuted, y.shape[k] = x.shape[perm[k]]
// (Keras's Permute on the batch and feature axes together; its gradient is the inverse perm).
// Row-major on both sides: each output element reads the input element at its permuted index.

/** The output shape of x [xShape] under `perm`. */
export function transposedShape(xShape: readonly number[], perm: readonly number[]): number[] {
  return perm.map((p) => xShape[p]);
}

/** The permutation that undoes `perm`. */
export function inversePerm(perm: readonly number[]): number[] {
  const inv: number[] = [];
  perm.forEach((p, k) => (inv[p] = k));
  return inv;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides: number[] = [];
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k];
  }
  return strides;
}

export function transpose(x: Float32Array, xShape: readonly number[], perm: readonly number[]): Float32Array {
  const yShape = transposedShape(xShape, perm);
  const xStrides = stridesOf(xShape);
  const y = new Float32Array(x.length);
  const index = new Array<number>(yShape.length).fill(0); // the output element's multi-index
  for (let i = 0; i < y.length; i++) {
    let src = 0;
    for (let k = 0; k < perm.length; k++) src += index[k] * xStrides[perm[k]];
    y[i] = x[src];
    for (let k = yShape.length - 1; k >= 0; k--) {
      if (++index[k] < yShape[k]) break;
      index[k] = 0;
    }
  }
  return y;
}
