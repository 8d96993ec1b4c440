import { describe, expect, it } from 'vitest';
import { dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { dropoutScale } from '../dropout';
import { dropoutBackward, dropoutForward } from './dropout';
import { counterUniform, pcgHash } from './random';

// An independent BigInt version of the PCG hash, to check the Math.imul / >>> 0 arithmetic.
function pcgBig(x: number): number {
  const m = 0xffffffffn;
  const state = (BigInt(x) * 747796405n + 2891336453n) & m;
  const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) & m;
  return Number((word >> 22n) ^ word);
}

describe('counter-based random', () => {
  it('pcgHash matches a BigInt implementation', () => {
    for (const x of [0, 1, 2, 12345, 0x7fffffff, 0x80000000, 0xffffffff, 3735928559]) {
      expect(pcgHash(x)).toBe(pcgBig(x));
    }
  });

  it('is a pure function of (seed, step, index) and changes with each', () => {
    const u = counterUniform(7, 3, 100);
    expect(counterUniform(7, 3, 100)).toBe(u);
    expect(counterUniform(8, 3, 100)).not.toBe(u);
    expect(counterUniform(7, 4, 100)).not.toBe(u);
    expect(counterUniform(7, 3, 101)).not.toBe(u);
  });

  it('is uniform enough: mean ~ 0.5, deciles ~ 10% each', () => {
    const n = 100_000;
    const bins = new Array<number>(10).fill(0);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = counterUniform(42, 0, i);
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      bins[Math.floor(u * 10)]++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    for (const b of bins) expect(Math.abs(b / n - 0.1)).toBeLessThan(0.005);
  });
});

describe('dropout', () => {
  const params = { rate: 0.3, seed: 11, step: 5 };

  it('rate 0 is the identity', () => {
    const x = randomArray(50, 1);
    expect(dropoutForward(x, { rate: 0, seed: 1, step: 0 })).toEqual(x);
  });

  it('keeps about 1 - rate of the elements, scaled by 1 / (1 - rate)', () => {
    const x = new Float32Array(20_000).fill(1);
    const y = dropoutForward(x, params);
    const scale = dropoutScale(params.rate);
    let kept = 0;
    for (const v of y) {
      if (v !== 0) {
        expect(v).toBe(scale);
        kept++;
      }
    }
    expect(Math.abs(kept / x.length - 0.7)).toBeLessThan(0.015);
  });

  it('hand case: kept elements are x / (1 - rate), dropped are 0', () => {
    const x = Float64Array.from([1, -2, 3, -4, 5, -6, 7, -8]);
    const y = dropoutForward(x, { rate: 0.5, seed: 3, step: 1 });
    for (let i = 0; i < x.length; i++) {
      const keep = counterUniform(3, 1, i) >= 0.5;
      expect(y[i]).toBe(keep ? x[i] * 2 : 0);
    }
    expect(y.some((v) => v === 0)).toBe(true);
    expect(y.some((v) => v !== 0)).toBe(true);
  });

  it('backward matches finite differences (same mask as forward)', () => {
    const x = Float64Array.from(randomArray(40, 2));
    const w = Float64Array.from(randomArray(40, 3));
    const numeric = finiteDiff((xs) => dot(w, dropoutForward(xs, params)), x);
    const analytic = dropoutBackward(w, params);
    for (let i = 0; i < x.length; i++) expect(analytic[i]).toBeCloseTo(numeric[i], 6);
  });

  it('rejects a rate outside [0, 1)', () => {
    expect(() => dropoutForward(new Float32Array(2), { rate: 1, seed: 0, step: 0 })).toThrow(/rate/);
  });
});
