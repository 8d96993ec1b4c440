import { describe, expect, it } from 'vitest';
import { dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { avgPool2dBackward, avgPool2dForward } from './avgPool2d';
import { geometry2D, type Window2D } from '../shapes';

const f64 = (a: ArrayLike<number>) => Float64Array.from(a);
const x9 = f64([1, 2, 3, 4, 9, 6, 7, 8, 5]); // [1, 3, 3, 1]

describe('avgPool2dForward', () => {
  it("'same' divides by the valid cells only (Keras)", () => {
    const y = avgPool2dForward(x9, geometry2D([1, 3, 3, 1], { kernel: [2, 2], strides: [2, 2], padding: 'same' }), 1);
    expect([...y]).toEqual([(1 + 2 + 4 + 9) / 4, (3 + 6) / 2, (7 + 8) / 2, 5]);
  });

  it('valid 3x3 stride 1 averages the whole image', () => {
    const y = avgPool2dForward(x9, geometry2D([1, 3, 3, 1], { kernel: [3, 3], strides: [1, 1], padding: 'valid' }), 1);
    expect(y[0]).toBeCloseTo(5, 12);
  });
});

const cases: { x: number[]; p: Window2D }[] = [
  { x: [2, 5, 7, 3], p: { kernel: [2, 2], strides: [2, 2], padding: 'same' } },
  { x: [1, 5, 7, 2], p: { kernel: [3, 3], strides: [1, 1], padding: 'same' } }, // overlapping windows
  { x: [2, 6, 5, 1], p: { kernel: [3, 2], strides: [2, 1], padding: 'valid' } },
];

describe('avg pool gradient match finite differences', () => {
  for (const [i, { x: xs, p }] of cases.entries()) {
    const x = f64(randomArray(xs.reduce((a, b) => a * b), 40 + i));
    const name = `x[${xs}] ${p.kernel} ${p.padding} s${p.strides}`;

    it(`avg ${name}`, () => {
      const g = geometry2D(xs, p);
      const c = xs[3];
      const y = avgPool2dForward(x, g, c);
      const w = f64(randomArray(y.length, 60 + i));
      const numeric = finiteDiff((xv) => dot(w, avgPool2dForward(xv, g, c)), x);
      avgPool2dBackward(w, g, c).forEach((v, j) => expect(v).toBeCloseTo(numeric[j], 6));
    });
  }
});
