import { describe, expect, it } from 'vitest';
import { dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { maxPool2dBackward, maxPool2dForward, type Pool2DParams } from './maxPool2d';

const f64 = (a: ArrayLike<number>) => Float64Array.from(a);
const x9 = f64([1, 2, 3, 4, 9, 6, 7, 8, 5]); // [1, 3, 3, 1]

describe('maxPool2dForward', () => {
  it('valid 2x2 stride 1 returns maxima and their flat indices', () => {
    const { y, argmax } = maxPool2dForward(x9, [1, 3, 3, 1], { poolSize: [2, 2], strides: [1, 1], padding: 'valid' });
    expect([...y]).toEqual([9, 9, 9, 9]);
    expect([...argmax]).toEqual([4, 4, 4, 4]);
  });

  it('same 2x2 stride 2: padded cells never win, even over negatives', () => {
    const x = f64([-1, -2, -3, -4, -5, -6, -7, -8, -9]);
    const { y, argmax } = maxPool2dForward(x, [1, 3, 3, 1], { poolSize: [2, 2], strides: [2, 2], padding: 'same' });
    expect([...y]).toEqual([-1, -3, -7, -9]);
    expect([...argmax]).toEqual([0, 2, 6, 8]);
  });

  it('ties: the first maximum in window order (row-major) wins', () => {
    const x = f64([0, 5, 5, 5]); // [1, 2, 2, 1]
    const { argmax } = maxPool2dForward(x, [1, 2, 2, 1], { poolSize: [2, 2], strides: [2, 2], padding: 'valid' });
    expect([...argmax]).toEqual([1]);
  });

  it('pools channels independently', () => {
    const x = f64([1, 8, 4, 2, 3, 7, 6, 5]); // [1, 2, 2, 2]
    const { y, argmax } = maxPool2dForward(x, [1, 2, 2, 2], { poolSize: [2, 2], strides: [2, 2], padding: 'valid' });
    expect([...y]).toEqual([6, 8]);
    expect([...argmax]).toEqual([6, 1]);
  });
});

const cases: { x: number[]; p: Pool2DParams }[] = [
  { x: [2, 5, 7, 3], p: { poolSize: [2, 2], strides: [2, 2], padding: 'same' } },
  { x: [1, 5, 7, 2], p: { poolSize: [3, 3], strides: [1, 1], padding: 'same' } }, // overlapping windows
  { x: [2, 6, 5, 1], p: { poolSize: [3, 2], strides: [2, 1], padding: 'valid' } },
];

describe('max pool gradient match finite differences', () => {
  for (const [i, { x: xs, p }] of cases.entries()) {
    const x = f64(randomArray(xs.reduce((a, b) => a * b), 40 + i)); // continuous random: no ties
    const name = `x[${xs}] ${p.poolSize} ${p.padding} s${p.strides}`;

    it(`max ${name}`, () => {
      const { y, argmax } = maxPool2dForward(x, xs, p);
      const w = f64(randomArray(y.length, 50 + i));
      const numeric = finiteDiff((xv) => dot(w, maxPool2dForward(xv, xs, p).y), x, 1e-5);
      maxPool2dBackward(w, argmax, xs).forEach((v, j) => expect(v).toBeCloseTo(numeric[j], 6));
    });
  }
});
