import { describe, expect, it } from 'vitest';
import { assertClose, dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { activationGrad } from '../activations';
import { biasGrad } from './biasGrad';
import { matmul, transpose } from './matmul';

const f64 = (n: number, seed: number) => Float64Array.from(randomArray(n, seed));
const tol = { atol: 1e-8, rtol: 1e-6 };

describe('matmul (CPU reference)', () => {
  it('multiplies a hand-computed case, with bias and relu', () => {
    const a = Float64Array.from([1, 2, 3, 4, 5, 6]); // [2, 3]
    const b = Float64Array.from([1, 0, 0, 1, 1, -1]); // [3, 2]
    expect(Array.from(matmul(a, b, { m: 2, n: 2, k: 3 }))).toEqual([4, -1, 10, -1]);
    expect(Array.from(matmul(a, b, { m: 2, n: 2, k: 3, bias: [0, 2], activation: 'relu' }))).toEqual([4, 1, 10, 1]);
  });

  it('reads transposed operands as their transposes', () => {
    const [m, k, n] = [3, 4, 2];
    const a = f64(m * k, 1);
    const b = f64(k * n, 2);
    const plain = matmul(a, b, { m, n, k });
    assertClose(matmul(transpose(a, m, k), b, { m, n, k, transA: true }), plain, tol, 'A^T');
    assertClose(matmul(a, transpose(b, k, n), { m, n, k, transB: true }), plain, tol, 'B^T');
    assertClose(matmul(transpose(a, m, k), transpose(b, k, n), { m, n, k, transA: true, transB: true }), plain, tol, 'both');
  });

  // Dense backward: dA = dC · B^T and dB = A^T · dC are the transposed products the GPU runs.
  it('gives dA = dC · B^T and dB = A^T · dC (finite differences)', () => {
    const [m, k, n] = [3, 4, 5];
    const a = f64(m * k, 3);
    const b = f64(k * n, 4);
    const w = f64(m * n, 5);
    const dA = matmul(w, b, { m, n: k, k: n, transB: true });
    const dB = matmul(a, w, { m: k, n, k: m, transA: true });
    assertClose(dA, finiteDiff((x) => dot(w, matmul(x, b, { m, n, k })), a), tol, 'dA');
    assertClose(dB, finiteDiff((x) => dot(w, matmul(a, x, { m, n, k })), b), tol, 'dB');
  });

  it('gives the bias gradient through a fused activation', () => {
    const [m, k, n] = [4, 3, 2];
    const a = f64(m * k, 6);
    const b = f64(k * n, 7);
    const w = f64(m * n, 8);
    for (const activation of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
      const bias = f64(n, 9);
      const y = matmul(a, b, { m, n, k, bias, activation });
      const dz = y.map((v, i) => w[i] * activationGrad(v, activation));
      const numeric = finiteDiff((bb) => dot(w, matmul(a, b, { m, n, k, bias: bb, activation })), bias, 1e-5);
      assertClose(biasGrad(dz, n), numeric, { atol: 1e-7, rtol: 1e-5 }, `db ${activation}`);
    }
  });
});
