// The ReLU/LeakyReLU/ELU layers' activation against Keras's formulas written out independently
// (relu: x > t ? min(x, max) : 0, minus slope * (t - x) below t), and its slope against finite differences.
import { describe, it } from 'vitest';
import { assertClose, dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { paramActivation, paramActivationGrad, type ParamActivation } from './paramActivation';

const cases: [string, ParamActivation][] = [
  ['relu', { kind: 'relu', alpha: 0, maxValue: null, threshold: 0 }],
  ['leaky relu 0.3', { kind: 'relu', alpha: 0.3, maxValue: null, threshold: 0 }],
  ['relu max 1.5 slope 0.1 threshold 0.2', { kind: 'relu', alpha: 0.1, maxValue: 1.5, threshold: 0.2 }],
  ['elu alpha 0.5', { kind: 'elu', alpha: 0.5, maxValue: null, threshold: 0 }],
];

describe('paramActivation (CPU reference)', () => {
  it('computes hand-checked values', () => {
    const x = Float64Array.from([-2, 0.1, 0.5, 3]);
    // threshold 0.2: -2 -> -0.1 * 2.2; 0.1 -> -0.1 * 0.1; 0.5 -> 0.5; 3 -> max 1.5.
    assertClose(paramActivation(x, cases[2][1]), [-0.22, -0.01, 0.5, 1.5], { atol: 1e-8, rtol: 0 }, 'relu'); // parameters in float32
    assertClose(paramActivation(x, cases[3][1]), [0.5 * Math.expm1(-2), 0.1, 0.5, 3], { atol: 1e-8, rtol: 0 }, 'elu');
    assertClose(paramActivation(Float64Array.from([-1, 2]), cases[1][1]), [-0.3, 2], { atol: 1e-7, rtol: 0 }, 'leaky');
  });

  for (const [label, p] of cases) {
    it(`${label}: dx = dy * f'(x) matches finite differences`, () => {
      // Keep x away from the kinks at 0, the threshold and the max value.
      const x = Float64Array.from(randomArray(16, 3, -2.5, 2.5)).map((v) => (Math.abs(v - 0.1) < 0.15 || Math.abs(v - 1.5) < 0.1 ? v + 0.3 : v));
      const w = Float64Array.from(randomArray(16, 4));
      const numeric = finiteDiff((xx) => dot(w, paramActivation(xx, p)), x, 1e-6);
      assertClose(paramActivationGrad(w, x, p), numeric, { atol: 1e-8, rtol: 1e-6 }, label);
    });
  }
});
