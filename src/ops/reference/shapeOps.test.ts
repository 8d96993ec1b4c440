// The reference ops of the shape, merge and noise layers against independent computations:
// explicit index formulas on small tensors, the adjoint identity <op(x), y> = <x, op*(y)> for the
// ops whose gradient is another op, JAX's tie rule for maximum/minimum, and the statistics and
// determinism of the counter-based noise.
import { describe, expect, it } from 'vitest';
import { randomArray } from '../../../tests/util/check';
import { inversePerm, transpose, transposedShape } from './transpose';
import { pad2d, pad2dAdjoint, type Pad2D } from './pad2d';
import { upsample2d } from './upsample2d';
import { merge, mergeGrad } from './merge';
import { ln32, noise, type NoiseParams } from './noise';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('transpose', () => {
  it('moves element [a, b, c] of x [2, 3, 4] to [c, a, b] under perm [2, 0, 1]', () => {
    const x = Float32Array.from({ length: 24 }, (_, i) => i);
    const y = transpose(x, [2, 3, 4], [2, 0, 1]);
    expect(transposedShape([2, 3, 4], [2, 0, 1])).toEqual([4, 2, 3]);
    for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 4; c++) {
      expect(y[(c * 2 + a) * 3 + b]).toBe(x[(a * 3 + b) * 4 + c]);
    }
  });

  it('is undone by the inverse permutation (rank 5)', () => {
    const shape = [2, 3, 1, 4, 5];
    const perm = [0, 3, 1, 4, 2];
    const x = randomArray(120, 1);
    expect(transpose(transpose(x, shape, perm), transposedShape(shape, perm), inversePerm(perm))).toEqual(x);
  });
});

describe('pad2d', () => {
  const pad: Pad2D = { xShape: [2, 2, 3, 2], outH: 5, outW: 4, top: 2, left: 1 };

  it('places x at (top, left) inside zeros', () => {
    const x = randomArray(24, 2);
    const y = pad2d(x, pad);
    for (let n = 0; n < 2; n++) for (let i = 0; i < 5; i++) for (let j = 0; j < 4; j++) for (let c = 0; c < 2; c++) {
      const inside = i >= 2 && i < 4 && j >= 1 && j < 4;
      const want = inside ? x[((n * 2 + i - 2) * 3 + j - 1) * 2 + c] : 0;
      expect(y[((n * 5 + i) * 4 + j) * 2 + c]).toBe(want);
    }
  });

  it('crops with negative shifts, and its adjoint is the reverse shift', () => {
    const crop: Pad2D = { xShape: [1, 5, 6, 3], outH: 2, outW: 3, top: -1, left: -2 };
    const x = randomArray(90, 3);
    const y = pad2d(x, crop);
    expect(y[0]).toBe(x[(1 * 6 + 2) * 3]);
    for (const p of [pad, crop]) {
      const [n, , , c] = p.xShape;
      const a = randomArray(p.xShape.reduce((s, d) => s * d, 1), 4);
      const b = randomArray(n * p.outH * p.outW * c, 5);
      expect(dot(pad2d(a, p), b)).toBeCloseTo(dot(a, pad2d(b, pad2dAdjoint(p))), 4);
    }
  });
});

describe('upsample2d', () => {
  it('repeats each cell as a size block', () => {
    const x = Float32Array.of(1, 2, 3, 4, 5, 6); // [1, 2, 3, 1]
    const y = upsample2d(x, [1, 2, 3, 1], [2, 1]);
    expect([...y]).toEqual([1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
  });
});

describe('merge', () => {
  const a = Float32Array.of(1, 2, 3, -1);
  const b = Float32Array.of(1, 1, 4, -2);
  it('subtracts, multiplies, takes max and min', () => {
    expect([...merge(a, b, 'subtract')]).toEqual([0, 1, -1, 1]);
    expect([...merge(a, b, 'multiply')]).toEqual([1, 2, 12, 2]);
    expect([...merge(a, b, 'maximum')]).toEqual([1, 2, 4, -1]);
    expect([...merge(a, b, 'minimum')]).toEqual([1, 1, 3, -2]);
  });

  it('routes the gradient to the winner, half each on ties (as jax.grad of jnp.maximum)', () => {
    const dy = Float32Array.of(2, 2, 2, 2);
    // jax.grad(lambda a, b: jnp.maximum(a, b).sum(), (0, 1))([1, 2, 3, -1], [1, 1, 4, -2]) = [.5, 1, 0, 1], [.5, 0, 1, 0]
    expect([...mergeGrad(dy, a, b, 'maximum')]).toEqual([1, 2, 0, 2]);
    expect([...mergeGrad(dy, b, a, 'maximum')]).toEqual([1, 0, 2, 0]);
    expect([...mergeGrad(dy, a, b, 'minimum')]).toEqual([1, 0, 2, 0]);
  });
});

describe('noise', () => {
  const base = { seed: 7, step: 3, channels: 4, perSample: 2 * 3 * 4 };
  const x = new Float32Array(500 * base.perSample).fill(1);

  it('spatial dropout keeps or drops whole channels per sample, kept ones scaled by 1 / (1 - rate)', () => {
    const p: NoiseParams = { ...base, kind: 'spatialDropout', amount: 0.25 };
    const y = noise(x, p);
    let dropped = 0;
    for (let n = 0; n < 500; n++) for (let c = 0; c < 4; c++) {
      const values = new Set(Array.from({ length: 6 }, (_, k) => y[n * 24 + k * 4 + c]));
      expect(values.size).toBe(1);
      const [v] = values;
      expect(v === 0 || Math.abs(v - 1 / 0.75) < 1e-6).toBe(true);
      if (v === 0) dropped++;
    }
    expect(dropped / 2000).toBeGreaterThan(0.21);
    expect(dropped / 2000).toBeLessThan(0.29);
  });

  it('draws N(1, rate / (1 - rate)) factors and N(0, stddev^2) addends, the same for the same step only', () => {
    const stats = (y: Float32Array, minus: number) => {
      const mean = y.reduce((s, v) => s + v, 0) / y.length;
      const variance = y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length;
      return [mean - minus, Math.sqrt(variance)];
    };
    const [m1, s1] = stats(noise(x, { ...base, kind: 'gaussianDropout', amount: 0.2 }), 1);
    expect(Math.abs(m1)).toBeLessThan(0.02);
    expect(s1).toBeCloseTo(Math.sqrt(0.2 / 0.8), 1);
    const y = noise(x, { ...base, kind: 'gaussianNoise', amount: 0.5 });
    const [m2, s2] = stats(y, 1);
    expect(Math.abs(m2)).toBeLessThan(0.02);
    expect(s2).toBeCloseTo(0.5, 1);
    expect(noise(x, { ...base, kind: 'gaussianNoise', amount: 0.5 })).toEqual(y);
    expect(noise(x, { ...base, step: 4, kind: 'gaussianNoise', amount: 0.5 })).not.toEqual(y);
  });

  it("takes its logarithm from + - * / to float32 accuracy (the shader's, since the builtin's bound is loose)", () => {
    for (const s of [2 ** -46, 1e-9, 0.01, 0.3, 0.70710677, 0.7071068, 0.99999994, 1, 1.5, 123.25]) {
      expect(Math.abs(ln32(s) - Math.log(s))).toBeLessThan(2e-6 * Math.max(1, Math.abs(Math.log(s))));
    }
  });
});
