import { describe, expect, it } from 'vitest';
import { dot, finiteDiff, randomArray, assertClose } from '../../../tests/util/check';
import { addBias, biasGrad } from './biasGrad';

describe('biasGrad (CPU reference)', () => {
  it('sums each channel over rows', () => {
    const dy = Float64Array.from([1, 2, 3, 10, 20, 30]); // [2, 3]
    expect(Array.from(biasGrad(dy, 3))).toEqual([11, 22, 33]);
  });

  it('is the gradient of addBias (finite differences)', () => {
    const [rows, c] = [5, 3];
    const x = Float64Array.from(randomArray(rows * c, 1));
    const b = Float64Array.from(randomArray(c, 2));
    const w = Float64Array.from(randomArray(rows * c, 3));
    const numeric = finiteDiff((bb) => dot(w, addBias(x, bb)), b);
    assertClose(biasGrad(w, c), numeric, { atol: 1e-8, rtol: 1e-6 }, 'db');
  });

  it('rejects sizes that do not split into channels', () => {
    expect(() => biasGrad(new Float32Array(7), 3)).toThrow(/biasGrad/);
  });
});
