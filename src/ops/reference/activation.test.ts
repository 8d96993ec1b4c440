import { describe, expect, it } from 'vitest';
import { assertClose, dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { ACTIVATION_CODES, gradFromInput, type ElementwiseActivation } from '../activations';
import { activation, activationGrad } from './activation';

const kinds = Object.keys(ACTIVATION_CODES) as ElementwiseActivation[];

describe('activation (CPU reference)', () => {
  it('computes hand-checked values, relu gradient 0 at 0', () => {
    const x = Float64Array.from([-1, 0, 2]);
    expect(Array.from(activation(x, 'relu'))).toEqual([0, 0, 2]);
    expect(Array.from(activationGrad(Float64Array.from([1, 1, 1]), activation(x, 'relu'), 'relu'))).toEqual([0, 0, 1]);
    expect(activation(Float64Array.from([0]), 'sigmoid')[0]).toBe(0.5);
  });

  for (const kind of kinds) {
    it(`${kind}: dx = dy * act'(y) matches finite differences`, () => {
      // Keep |x| >= 0.1 so relu's kink is never inside the difference step, and x away from relu6's
      // and hard_sigmoid's (+-3, 6).
      const x = Float64Array.from(randomArray(12, 7, -2.8, 2.8), (v) => v + 0.1 * Math.sign(v));
      const w = Float64Array.from(randomArray(12, 8));
      const numeric = finiteDiff((xx) => dot(w, activation(xx, kind)), x, 1e-5);
      const from = gradFromInput(kind) ? x : activation(x, kind);
      // gelu's derivative uses the exact normal density, its value erf's approximation (1.5e-7).
      const atol = kind === 'gelu' ? 1e-6 : 1e-8;
      assertClose(activationGrad(w, from, kind), numeric, { atol, rtol: 1e-6 }, kind);
    });
  }
});
