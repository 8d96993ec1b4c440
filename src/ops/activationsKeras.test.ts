// Every activation name against real Keras 3.15.1 (tests/fixtures/keras/make_activations.py):
// values and jax.grad derivatives at points away from kinks, and the name Keras writes in a config.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertClose } from '../../tests/util/check';
import { ACTIVATION_ALIASES, ACTIVATIONS, activate, activationGrad, gradFromInput, type ElementwiseActivation } from './activations';

interface Fixture {
  points: number[];
  functions: Record<string, { config_name: string; y: number[]; dydx: number[] }>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../tests/fixtures/keras/activations/keras3.15.1_activation_values.json', import.meta.url), 'utf8'),
) as Fixture;

describe('activations against Keras 3.15.1', () => {
  it('covers every elementwise name we offer, and Keras writes the canonical one', () => {
    const offered = ACTIVATIONS.filter((a) => a !== 'softmax');
    expect(Object.keys(fixture.functions).filter((n) => !Object.hasOwn(ACTIVATION_ALIASES, n)).sort()).toEqual([...offered].sort());
    for (const [name, f] of Object.entries(fixture.functions)) expect(f.config_name).toBe(ACTIVATION_ALIASES[name] ?? name);
  });

  for (const [name, f] of Object.entries(fixture.functions)) {
    it(`${name}: values and derivatives`, () => {
      const kind = (ACTIVATION_ALIASES[name] ?? name) as ElementwiseActivation;
      const x = fixture.points;
      const y = x.map((v) => activate(v, kind));
      // Keras computes in float32: ~1e-7 relative, plus erf's 1.5e-7 absolute in gelu.
      assertClose(y, f.y, { atol: 1e-6, rtol: 1e-5 }, `${name} y`);
      const dydx = x.map((v, i) => activationGrad(gradFromInput(kind) ? v : y[i], kind));
      assertClose(dydx, f.dydx, { atol: 2e-6, rtol: 1e-5 }, `${name} dy/dx`);
    });
  }
});
