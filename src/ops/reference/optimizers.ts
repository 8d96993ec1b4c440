// CPU reference of the optimizer updates, Keras 3 formulas (keras/src/optimizers/{sgd,adam,
// rmsprop}.py, update_step), in float32: every operation is rounded with Math.fround in the
// order the WGSL kernels compute it, so GPU and CPU agree to a few ulps. Hyperparameters are
// cast to float32 as Keras casts them to the variable dtype; `1 - beta` is taken in float64 and
// then rounded, as Keras computes it in Python before casting.
//
// Updates are in place over a flat parameter buffer `w` (all weights may be packed together),
// its gradient `g`, and `slots`: the optimizer's per-weight state, slot k of weight i at
// slots[k * n + i] (blocks, so neighbouring GPU threads read neighbouring words). The configs and
// slot counts live in ops/optimizers.ts.
// `state` holds what is shared by all weights and changes every step (Keras `iterations`).
import { adamSlots, rmspropSlots, sgdSlots, type AdamConfig, type RmspropConfig, type SgdConfig } from '../optimizers';

const f = Math.fround;

/** Shared per-step state; on the GPU a 4-word uint32 tensor in this order, zeroed at the start. */
export interface OptimizerState {
  /** Completed steps (Keras `optimizer.iterations`); also the dropout step counter. */
  iterations: number;
  beta1Power: number;
  beta2Power: number;
  /** Adam's lr * sqrt(1 - beta2^t) / (1 - beta1^t) for the current step. */
  alpha: number;
}
// Nadam keeps other per-step values in the same four words: beta1Power holds Keras's u_product
// (the product of u_1..u_t) and alpha holds 0.96^t (see optimizersExtra.ts).

export function newOptimizerState(): OptimizerState {
  return { iterations: 0, beta1Power: 0, beta2Power: 0, alpha: 0 };
}

/**
 * Runs once per step before the updates: t = iterations + 1, beta^t by one float32 multiply per
 * step (exact to ~t/2 ulp, and far better than pow's exp2/log2 at small t, where 1 - beta2^t is
 * tiny), then Adam's alpha. SGD and RMSprop only use the counter (pass beta1 = beta2 = 0).
 */
export function optimizerStep(s: OptimizerState, c: { learningRate: number; beta1: number; beta2: number }, nadam = false): void {
  const first = s.iterations === 0;
  s.iterations += 1;
  if (nadam) {
    // u_t = beta1 (1 - 0.5 * 0.96^t); u_product *= u_t (Keras multiplies beta1 in first).
    const decayPower = first ? f(0.96) : f(s.alpha * f(0.96));
    const u = f(1 - f(0.5 * decayPower));
    s.beta1Power = f(f((first ? 1 : s.beta1Power) * f(c.beta1)) * u);
    s.beta2Power = first ? f(c.beta2) : f(s.beta2Power * f(c.beta2));
    s.alpha = decayPower;
    return;
  }
  s.beta1Power = first ? f(c.beta1) : f(s.beta1Power * f(c.beta1));
  s.beta2Power = first ? f(c.beta2) : f(s.beta2Power * f(c.beta2));
  s.alpha = f(f(f(c.learningRate) * f(Math.sqrt(f(1 - s.beta2Power)))) / f(1 - s.beta1Power));
}

export function checkSizes(op: string, w: Float32Array, g: Float32Array, slots: Float32Array, count: number): void {
  if (g.length !== w.length) throw new Error(`${op}: gradient has ${g.length} elements, weights ${w.length}`);
  if (slots.length !== count * w.length) throw new Error(`${op}: slots have ${slots.length} elements, expected ${count} x ${w.length}`);
}

/** SGD: v = momentum*v - lr*g; w += v (nesterov: w += momentum*v - lr*g); no momentum: w -= lr*g. */
export function sgdUpdate(w: Float32Array, g: Float32Array, slots: Float32Array, c: SgdConfig): void {
  checkSizes('sgd', w, g, slots, sgdSlots(c));
  const lr = f(c.learningRate);
  const momentum = f(c.momentum);
  for (let i = 0; i < w.length; i++) {
    const step = f(lr * g[i]);
    if (momentum === 0) {
      w[i] = f(w[i] - step);
      continue;
    }
    const v = f(f(slots[i] * momentum) - step);
    slots[i] = v;
    w[i] = c.nesterov ? f(w[i] + f(f(v * momentum) - step)) : f(w[i] + v);
  }
}

/**
 * Adam: m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2); amsgrad: v_hat = max(v_hat, v) in place of v;
 * w -= alpha m / (sqrt(v) + eps). Call optimizerStep first.
 */
export function adamUpdate(w: Float32Array, g: Float32Array, slots: Float32Array, s: OptimizerState, c: AdamConfig): void {
  checkSizes('adam', w, g, slots, adamSlots(c));
  const n = w.length;
  const [omb1, omb2, eps] = [f(1 - c.beta1), f(1 - c.beta2), f(c.epsilon)];
  for (let i = 0; i < n; i++) {
    const m = f(slots[i] + f(f(g[i] - slots[i]) * omb1));
    const v = f(slots[n + i] + f(f(f(g[i] * g[i]) - slots[n + i]) * omb2));
    slots[i] = m;
    slots[n + i] = v;
    let vUsed = v;
    if (c.amsgrad) {
      vUsed = Math.max(slots[2 * n + i], v);
      slots[2 * n + i] = vUsed;
    }
    w[i] = f(w[i] - f(f(m * s.alpha) / f(f(Math.sqrt(vUsed)) + eps)));
  }
}

/**
 * RMSprop: v = rho v + (1 - rho) g^2; centered: a = rho a + (1 - rho) g, denominator v - a^2 + eps,
 * else v + eps (Keras puts eps inside the sqrt); inc = lr g / sqrt(denominator);
 * momentum: mom = momentum mom + inc, w -= mom; else w -= inc.
 */
export function rmspropUpdate(w: Float32Array, g: Float32Array, slots: Float32Array, c: RmspropConfig): void {
  checkSizes('rmsprop', w, g, slots, rmspropSlots(c));
  const n = w.length;
  const [lr, rho, omr, momentum, eps] = [f(c.learningRate), f(c.rho), f(1 - c.rho), f(c.momentum), f(c.epsilon)];
  const momAt = n; // slot 1 when momentum > 0
  const avgAt = c.momentum > 0 ? 2 * n : n; // the last slot when centered
  for (let i = 0; i < n; i++) {
    const v = f(f(rho * slots[i]) + f(omr * f(g[i] * g[i])));
    slots[i] = v;
    let denominator = f(v + eps);
    if (c.centered) {
      const a = f(f(rho * slots[avgAt + i]) + f(omr * g[i]));
      slots[avgAt + i] = a;
      denominator = f(f(v - f(a * a)) + eps);
    }
    const inc = f(f(lr * g[i]) / f(Math.sqrt(denominator)));
    if (c.momentum > 0) {
      const mom = f(f(momentum * slots[momAt + i]) + inc);
      slots[momAt + i] = mom;
      w[i] = f(w[i] - mom);
    } else {
      w[i] = f(w[i] - inc);
    }
  }
}
