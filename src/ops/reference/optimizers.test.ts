// Optimizer references against the first two steps of Keras 3's update formulas, worked by hand
// (float64 values; the references round to float32, so the tolerance is a few float32 ulps).
import { describe, expect, it } from 'vitest';
import { ADAM_DEFAULTS, RMSPROP_DEFAULTS, SGD_DEFAULTS, type RmspropConfig, type SgdConfig } from '../optimizers';
import { adamUpdate, newOptimizerState, optimizerStep, rmspropUpdate, sgdUpdate } from './optimizers';

const grads = [0.5, -0.25];

function close(actual: number, expected: number, rtol = 3e-7): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected) + 1e-12);
}

function runSgd(c: SgdConfig, slotCount: number): number[] {
  const w = Float32Array.of(1);
  const slots = new Float32Array(slotCount);
  return grads.map((g) => {
    sgdUpdate(w, Float32Array.of(g), slots, c);
    return w[0];
  });
}

function runRmsprop(c: RmspropConfig, slotCount: number, w0 = 1, gs = grads): number[] {
  const w = Float32Array.of(w0);
  const slots = new Float32Array(slotCount);
  return gs.map((g) => {
    rmspropUpdate(w, Float32Array.of(g), slots, c);
    return w[0];
  });
}

describe('SGD', () => {
  it('plain: w -= lr g', () => {
    const [w1, w2] = runSgd(SGD_DEFAULTS, 0);
    close(w1, 1 - 0.01 * 0.5);
    close(w2, 1 - 0.01 * 0.5 + 0.01 * 0.25);
  });
  it('momentum: v = m v - lr g; w += v', () => {
    // v1 = -0.05, w1 = 0.95; v2 = 0.9 * -0.05 + 0.025 = -0.02, w2 = 0.93
    const [w1, w2] = runSgd({ learningRate: 0.1, momentum: 0.9, nesterov: false }, 1);
    close(w1, 0.95);
    close(w2, 0.93);
  });
  it('nesterov: w += m v - lr g', () => {
    // v1 = -0.05, w1 = 1 - 0.045 - 0.05 = 0.905; v2 = -0.02, w2 = 0.905 - 0.018 + 0.025 = 0.912
    const [w1, w2] = runSgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }, 1);
    close(w1, 0.905);
    close(w2, 0.912);
  });
});

describe('Adam', () => {
  it('defaults, two steps (alpha = lr sqrt(1 - b2^t) / (1 - b1^t))', () => {
    const w = Float32Array.of(1);
    const slots = new Float32Array(2);
    const state = newOptimizerState();
    const expected = [
      // t = 1: m = 0.05, v = 0.00025, alpha = 0.001 sqrt(0.001) / 0.1
      { w: 0.9990000063245154, m: 0.05, v: 0.00025 },
      // t = 2: m = 0.05 + (-0.25 - 0.05) 0.1 = 0.02, v = 0.00025 + (0.0625 - 0.00025) 0.001
      { w: 0.9987336707920792, m: 0.02, v: 0.00031225 },
    ];
    grads.forEach((g, k) => {
      optimizerStep(state, ADAM_DEFAULTS);
      adamUpdate(w, Float32Array.of(g), slots, state, ADAM_DEFAULTS);
      expect(state.iterations).toBe(k + 1);
      close(w[0], expected[k].w);
      close(slots[0], expected[k].m, 1e-6);
      close(slots[1], expected[k].v, 1e-6);
    });
    // Keras computes beta2^t in float32 (pow of float32(0.999), rounded to float32), which moves
    // 1 - beta2^2 by ~1e-5 relative from the real-number value.
    close(state.alpha, (0.001 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2), 3e-5);
    const [b1, b2] = [Math.fround(0.9), Math.fround(0.999)];
    close(state.alpha, (0.001 * Math.sqrt(1 - Math.fround(b2 * b2))) / (1 - Math.fround(b1 * b1)), 1e-6);
  });
});

describe('RMSprop', () => {
  it("Keras docstring example: lr 0.1, var 10, loss var^2 / 2 -> 9.683772", () => {
    close(runRmsprop({ ...RMSPROP_DEFAULTS, learningRate: 0.1 }, 1, 10, [10])[0], 9.683772);
  });
  it('defaults, two steps (eps inside the sqrt)', () => {
    // v1 = 0.025, w1 = 1 - 0.0005 / sqrt(0.025 + 1e-7); v2 = 0.0225 + 0.00625 = 0.02875
    const [w1, w2] = runRmsprop(RMSPROP_DEFAULTS, 1);
    const e1 = 1 - 0.0005 / Math.sqrt(0.025 + 1e-7);
    close(w1, e1);
    close(w2, e1 + 0.00025 / Math.sqrt(0.02875 + 1e-7));
  });
  it('centered with momentum, two steps', () => {
    const [w1, w2] = runRmsprop({ learningRate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true }, 3);
    close(w1, 0.9666667407404939);
    close(w2, 0.9648479316970439);
  });
  it('rejects slots of the wrong size', () => {
    expect(() => rmspropUpdate(new Float32Array(2), new Float32Array(2), new Float32Array(2), { ...RMSPROP_DEFAULTS, centered: true })).toThrow(
      /slots/,
    );
  });
});
