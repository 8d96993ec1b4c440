import { describe, expect, it } from 'vitest';
import { assertClose, dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { activation, activationGrad } from './activation';

const kinds = ['linear', 'relu', 'sigmoid', 'tanh'] as const;

describe('activation (CPU reference)', () => {
  it('computes hand-checked values, relu gradient 0 at 0', () => {
    const x = Float64Array.from([-1, 0, 2]);
    expect(Array.from(activation(x, 'relu'))).toEqual([0, 0, 2]);
    expect(Array.from(activationGrad(Float64Array.from([1, 1, 1]), activation(x, 'relu'), 'relu'))).toEqual([0, 0, 1]);
    expect(activation(Float64Array.from([0]), 'sigmoid')[0]).toBe(0.5);
  });

  for (const kind of kinds) {
    it(`${kind}: dx = dy * act'(y) matches finite differences`, () => {
      // Keep |x| >= 0.1 so relu's kink is never inside the difference step.
      const x = Float64Array.from(randomArray(12, 7), (v) => v + 0.1 * Math.sign(v));
      const w = Float64Array.from(randomArray(12, 8));
      const numeric = finiteDiff((xx) => dot(w, activation(xx, kind)), x, 1e-5);
      assertClose(activationGrad(w, activation(x, kind), kind), numeric, { atol: 1e-8, rtol: 1e-6 }, kind);
    });
  }
});
