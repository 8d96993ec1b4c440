import { describe, expect, it } from 'vitest';
import { dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { geometry2D, type Window2D } from '../shapes';
import { maxPool2dBackward, maxPool2dForward } from './maxPool2d';

const f64 = (a: ArrayLike<number>) => Float64Array.from(a);
const x9 = f64([1, 2, 3, 4, 9, 6, 7, 8, 5]); // [1, 3, 3, 1]

describe('maxPool2dForward', () => {
  it('valid 2x2 stride 1 returns maxima and their flat indices', () => {
    const { y, argmax } = maxPool2dForward(x9, geometry2D([1, 3, 3, 1], { kernel: [2, 2], strides: [1, 1], padding: 'valid' }), 1);
    expect([...y]).toEqual([9, 9, 9, 9]);
    expect([...argmax]).toEqual([4, 4, 4, 4]);
  });

  it('same 2x2 stride 2: padded cells never win, even over negatives', () => {
    const x = f64([-1, -2, -3, -4, -5, -6, -7, -8, -9]);
    const { y, argmax } = maxPool2dForward(x, geometry2D([1, 3, 3, 1], { kernel: [2, 2], strides: [2, 2], padding: 'same' }), 1);
    expect([...y]).toEqual([-1, -3, -7, -9]);
    expect([...argmax]).toEqual([0, 2, 6, 8]);
  });

  it('ties: the first maximum in window order (row-major) wins', () => {
    const x = f64([0, 5, 5, 5]); // [1, 2, 2, 1]
    const { argmax } = maxPool2dForward(x, geometry2D([1, 2, 2, 1], { kernel: [2, 2], strides: [2, 2], padding: 'valid' }), 1);
    expect([...argmax]).toEqual([1]);
  });

  it('pools channels independently', () => {
    const x = f64([1, 8, 4, 2, 3, 7, 6, 5]); // [1, 2, 2, 2]
    const { y, argmax } = maxPool2dForward(x, geometry2D([1, 2, 2, 2], { kernel: [2, 2], strides: [2, 2], padding: 'valid' }), 2);
    expect([...y]).toEqual([6, 8]);
    expect([...argmax]).toEqual([6, 1]);
  });
});

const cases: { x: number[]; p: Window2D }[] = [
  { x: [2, 5, 7, 3], p: { kernel: [2, 2], strides: [2, 2], padding: 'same' } },
  { x: [1, 5, 7, 2], p: { kernel: [3, 3], strides: [1, 1], padding: 'same' } }, // overlapping windows
  { x: [2, 6, 5, 1], p: { kernel: [3, 2], strides: [2, 1], padding: 'valid' } },
];

describe('max pool gradient match finite differences', () => {
  for (const [i, { x: xs, p }] of cases.entries()) {
    const x = f64(randomArray(xs.reduce((a, b) => a * b), 40 + i)); // continuous random: no ties
    const name = `x[${xs}] ${p.kernel} ${p.padding} s${p.strides}`;

    it(`max ${name}`, () => {
      const g = geometry2D(xs, p);
      const c = xs[3];
      const { y, argmax } = maxPool2dForward(x, g, c);
      const w = f64(randomArray(y.length, 50 + i));
      const numeric = finiteDiff((xv) => dot(w, maxPool2dForward(xv, g, c).y), x, 1e-5);
      maxPool2dBackward(w, argmax, g, c).forEach((v, j) => expect(v).toBeCloseTo(numeric[j], 6));
    });
  }
});
