import { describe, it } from 'vitest';
import { assertClose, randomArray } from '../../../tests/util/check';
import { activationGrad } from '../reference/activation';
import { biasGrad } from '../reference/biasGrad';
import { activationGradInPlace, biasGradInto } from './elementwise';

const TOL = { atol: 1e-6, rtol: 1e-5 };

describe('fast elementwise ops match the references', () => {
  for (const kind of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
    it(`activation gradient in place: ${kind}`, () => {
      const y = randomArray(101, 1);
      y[5] = 0; // relu'(0) = 0
      const dy = randomArray(101, 2);
      const expected = activationGrad(dy, y, kind);
      activationGradInPlace(dy, y, kind);
      assertClose(dy, expected, TOL, kind);
    });
  }

  it('bias gradient, and accumulate', () => {
    for (const channels of [1, 3, 17, 64]) {
      const dy = randomArray(channels * 33, channels);
      const db = new Float32Array(channels).fill(NaN);
      biasGradInto(dy, db, channels);
      const expected = biasGrad(Float64Array.from(dy), channels);
      assertClose(db, expected, TOL, `db ${channels}`);
      biasGradInto(dy, db, channels, true);
      assertClose(db, expected.map((v) => 2 * v), TOL, `db accumulated ${channels}`);
    }
  });
});
