import { describe, expect, it } from 'vitest';
import { assertClose, randomArray } from '../../../tests/util/check';
import { matmul } from '../reference/matmul';
import { gemm } from './gemm';

const TOL = { atol: 1e-5, rtol: 1e-4 };
const sizes = [1, 3, 17, 33, 100];

describe('gemm matches the matmul reference', () => {
  let seed = 1;
  for (const m of sizes) {
    for (const n of [1, 3, 17, 100]) {
      for (const k of [1, 33, 300]) {
        for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
          const s = seed++;
          it(`m=${m} n=${n} k=${k}${transA ? ' transA' : ''}${transB ? ' transB' : ''}`, () => {
            const a = randomArray(m * k, s);
            const b = randomArray(k * n, s + 1000);
            const c = new Float32Array(m * n).fill(NaN); // overwritten, never read
            gemm(a, b, c, m, n, k, { transA, transB });
            assertClose(c, matmul(a, b, { m, n, k, transA, transB }), TOL, 'c');
          });
        }
      }
    }
  }

  it('fuses bias and activation, for every elementwise activation', () => {
    const [m, n, k] = [9, 13, 40];
    const a = randomArray(m * k, 7);
    const b = randomArray(k * n, 8);
    const bias = randomArray(n, 9);
    for (const activation of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
      const c = new Float32Array(m * n);
      gemm(a, b, c, m, n, k, { bias, activation });
      assertClose(c, matmul(a, b, { m, n, k, bias, activation }), TOL, activation);
    }
  });

  it('accumulates into c, with the bias and activation applied to the sum', () => {
    const [m, n, k] = [5, 7, 600]; // k spans several cache blocks
    const a = randomArray(m * k, 10);
    const b = randomArray(k * n, 11);
    const c0 = randomArray(m * n, 12);
    const c = Float32Array.from(c0);
    gemm(a, b, c, m, n, k, { accumulate: true, bias: new Float32Array(n).fill(0.5), activation: 'relu' });
    const ab = matmul(a, b, { m, n, k });
    const expected = ab.map((v, i) => Math.max(v + c0[i] + 0.5, 0));
    assertClose(c, expected, TOL, 'c');
  });

  it('handles shapes larger than one cache block in every dimension', () => {
    const [m, n, k] = [130, 270, 520];
    const a = randomArray(m * k, 13);
    const b = randomArray(n * k, 14);
    const c = new Float32Array(m * n);
    gemm(a, b, c, m, n, k, { transB: true });
    assertClose(c, matmul(a, b, { m, n, k, transB: true }), TOL, 'c');
  });

  it('rejects buffers that are too small', () => {
    expect(() => gemm(new Float32Array(5), new Float32Array(6), new Float32Array(6), 2, 3, 3)).toThrow(/gemm/);
  });
});
