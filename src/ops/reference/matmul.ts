// CPU reference of `matmul`: C[M, N] = act(op(A) · op(B) + bias), op = optional transpose.
// A is [M, K] (or [K, M] with transA), B is [K, N] (or [N, K] with transB), all row-major.
import { activate, type ElementwiseActivation } from '../activations';

export type Arr = Float32Array | Float64Array;

export interface MatmulDims {
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  bias?: ArrayLike<number>;
  activation?: ElementwiseActivation;
}

export function matmul<T extends Arr>(a: T, b: Arr, dims: MatmulDims): T {
  const { m, n, k, transA = false, transB = false, bias, activation = 'linear' } = dims;
  if (a.length !== m * k || b.length !== k * n) {
    throw new Error(`matmul: A has ${a.length} elements and B ${b.length}, expected ${m * k} and ${k * n}`);
  }
  const c = new (a.constructor as new (n: number) => T)(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i] : a[i * k + p];
        const bv = transB ? b[j * k + p] : b[p * n + j];
        s += av * bv;
      }
      c[i * n + j] = activate(s + (bias ? bias[j] : 0), activation);
    }
  }
  return c;
}

/** Plain transpose of a [rows, cols] matrix (for tests that build op(A) explicitly). */
export function transpose<T extends Arr>(x: T, rows: number, cols: number): T {
  const t = new (x.constructor as new (n: number) => T)(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c];
  return t;
}
