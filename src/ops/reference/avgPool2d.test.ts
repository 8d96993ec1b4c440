import { describe, expect, it } from 'vitest';
import { dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { avgPool2dBackward, avgPool2dForward } from './avgPool2d';
import type { Pool2DParams } from './maxPool2d';

const f64 = (a: ArrayLike<number>) => Float64Array.from(a);
const x9 = f64([1, 2, 3, 4, 9, 6, 7, 8, 5]); // [1, 3, 3, 1]

describe('avgPool2dForward', () => {
  it("'same' divides by the valid cells only (Keras)", () => {
    const y = avgPool2dForward(x9, [1, 3, 3, 1], { poolSize: [2, 2], strides: [2, 2], padding: 'same' });
    expect([...y]).toEqual([(1 + 2 + 4 + 9) / 4, (3 + 6) / 2, (7 + 8) / 2, 5]);
  });

  it('valid 3x3 stride 1 averages the whole image', () => {
    const y = avgPool2dForward(x9, [1, 3, 3, 1], { poolSize: [3, 3], strides: [1, 1], padding: 'valid' });
    expect(y[0]).toBeCloseTo(5, 12);
  });
});

const cases: { x: number[]; p: Pool2DParams }[] = [
  { x: [2, 5, 7, 3], p: { poolSize: [2, 2], strides: [2, 2], padding: 'same' } },
  { x: [1, 5, 7, 2], p: { poolSize: [3, 3], strides: [1, 1], padding: 'same' } }, // overlapping windows
  { x: [2, 6, 5, 1], p: { poolSize: [3, 2], strides: [2, 1], padding: 'valid' } },
];

describe('avg pool gradient match finite differences', () => {
  for (const [i, { x: xs, p }] of cases.entries()) {
    const x = f64(randomArray(xs.reduce((a, b) => a * b), 40 + i));
    const name = `x[${xs}] ${p.poolSize} ${p.padding} s${p.strides}`;

    it(`avg ${name}`, () => {
      const y = avgPool2dForward(x, xs, p);
      const w = f64(randomArray(y.length, 60 + i));
      const numeric = finiteDiff((xv) => dot(w, avgPool2dForward(xv, xs, p)), x);
      avgPool2dBackward(w, xs, p).forEach((v, j) => expect(v).toBeCloseTo(numeric[j], 6));
    });
  }
});
