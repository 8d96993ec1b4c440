// softmaxGrad (backward of softmax over the last axis) against real Keras 3.15.1's
// vector-Jacobian product (jax.vjp, tests/fixtures/keras/make_activations.py) and finite differences.
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { assertClose, dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { softmax, softmaxGrad } from './softmax';

const fixture = JSON.parse(
  readFileSync(new URL('../../../tests/fixtures/keras/activations/keras3.15.1_activation_values.json', import.meta.url), 'utf8'),
) as { softmax: { x: number[][]; y: number[][]; dy: number[][]; dx: number[][] } };

describe('softmaxGrad (CPU reference)', () => {
  it("matches Keras 3.15.1's softmax and its vector-Jacobian product", () => {
    const { x, y, dy, dx } = fixture.softmax;
    const cols = x[0].length;
    const probs = softmax(Float64Array.from(x.flat()), cols);
    assertClose(probs, y.flat(), { atol: 1e-7, rtol: 1e-6 }, 'y');
    assertClose(softmaxGrad(Float64Array.from(dy.flat()), probs, cols), dx.flat(), { atol: 1e-7, rtol: 1e-5 }, 'dx');
  });

  it('matches finite differences on 3 rows of 7', () => {
    const x = Float64Array.from(randomArray(21, 3, -2, 2));
    const w = Float64Array.from(randomArray(21, 4));
    const numeric = finiteDiff((xx) => dot(w, softmax(xx, 7)), x, 1e-5);
    assertClose(softmaxGrad(w, softmax(x, 7), 7), numeric, { atol: 1e-9, rtol: 1e-6 }, 'dx');
  });
});
