// CPU reference of Keras 3's Adagrad, Adadelta, Adamax and Nadam updates (keras/src/optimizers/
// *.py, update_step), in float32 in the order the WGSL kernels compute it, over the same flat
// buffers as optimizers.ts: weights w, gradient g, slots in blocks of n. `lr` is this step's
// learning rate (a schedule's value when there is one). Adamax and Nadam read the per-step state
// that optimizerStep advanced (Nadam with its nadam flag).
import type { AdadeltaConfig, AdagradConfig, AdamaxConfig, NadamConfig } from '../optimizers';
import { checkSizes, type OptimizerState } from './optimizers';

const f = Math.fround;

/** Adagrad: acc += g^2; w -= lr g / sqrt(acc + eps). Slots [acc], starting at initialAccumulatorValue. */
export function adagradUpdate(w: Float32Array, g: Float32Array, slots: Float32Array, c: AdagradConfig): void {
  checkSizes('adagrad', w, g, slots, 1);
  const [lr, eps] = [f(c.learningRate), f(c.epsilon)];
  for (let i = 0; i < w.length; i++) {
    const acc = f(slots[i] + f(g[i] * g[i]));
    slots[i] = acc;
    w[i] = f(w[i] - f(f(lr * g[i]) / f(Math.sqrt(f(acc + eps)))));
  }
}

/**
 * Adadelta: ag = rho ag + (1 - rho) g^2; delta = -sqrt(ad + eps) g / sqrt(ag + eps);
 * ad = rho ad + (1 - rho) delta^2; w += lr delta. Slots [ag | ad].
 */
export function adadeltaUpdate(w: Float32Array, g: Float32Array, slots: Float32Array, c: AdadeltaConfig): void {
  checkSizes('adadelta', w, g, slots, 2);
  const n = w.length;
  const [lr, rho, omr, eps] = [f(c.learningRate), f(c.rho), f(1 - c.rho), f(c.epsilon)];
  for (let i = 0; i < n; i++) {
    const ag = f(f(rho * slots[i]) + f(omr * f(g[i] * g[i])));
    slots[i] = ag;
    const delta = -f(f(f(Math.sqrt(f(slots[n + i] + eps))) * g[i]) / f(Math.sqrt(f(ag + eps))));
    slots[n + i] = f(f(rho * slots[n + i]) + f(omr * f(delta * delta)));
    w[i] = f(w[i] + f(lr * delta));
  }
}

/** Adamax: m += (g - m)(1 - b1); u = max(b2 u, |g|); w -= lr m / ((1 - b1^t)(u + eps)). Slots [m | u]. */
export function adamaxUpdate(w: Float32Array, g: Float32Array, slots: Float32Array, s: OptimizerState, c: AdamaxConfig): void {
  checkSizes('adamax', w, g, slots, 2);
  const n = w.length;
  const [lr, omb1, beta2, eps] = [f(c.learningRate), f(1 - c.beta1), f(c.beta2), f(c.epsilon)];
  const correction = f(1 - s.beta1Power);
  for (let i = 0; i < n; i++) {
    const m = f(slots[i] + f(f(g[i] - slots[i]) * omb1));
    const u = Math.max(f(beta2 * slots[n + i]), Math.abs(g[i]));
    slots[i] = m;
    slots[n + i] = u;
    w[i] = f(w[i] - f(f(lr * m) / f(correction * f(u + eps))));
  }
}

/**
 * Nadam (Keras 3): u_t = b1 (1 - 0.5 * 0.96^t), u_t1 likewise at t + 1, u_product_t = u_1..u_t
 * (state.beta1Power), u_product_t1 = u_product_t u_t1; m, v as in Adam;
 * m_hat = u_t1 m / (1 - u_product_t1) + (1 - u_t) g / (1 - u_product_t); v_hat = v / (1 - b2^t);
 * w -= lr m_hat / (sqrt(v_hat) + eps). Slots [m | v].
 */
export function nadamUpdate(w: Float32Array, g: Float32Array, slots: Float32Array, s: OptimizerState, c: NadamConfig): void {
  checkSizes('nadam', w, g, slots, 2);
  const n = w.length;
  const [lr, beta1, omb1, omb2, eps] = [f(c.learningRate), f(c.beta1), f(1 - c.beta1), f(1 - c.beta2), f(c.epsilon)];
  const uT = f(beta1 * f(1 - f(0.5 * s.alpha)));
  const uT1 = f(beta1 * f(1 - f(0.5 * f(s.alpha * f(0.96)))));
  const productT = s.beta1Power;
  const productT1 = f(productT * uT1);
  const [a, b, vScale] = [f(1 - productT1), f(1 - productT), f(1 - s.beta2Power)];
  for (let i = 0; i < n; i++) {
    const m = f(slots[i] + f(f(g[i] - slots[i]) * omb1));
    const v = f(slots[n + i] + f(f(f(g[i] * g[i]) - slots[n + i]) * omb2));
    slots[i] = m;
    slots[n + i] = v;
    const mHat = f(f(f(uT1 * m) / a) + f(f(f(1 - uT) * g[i]) / b));
    const vHat = f(v / vScale);
    w[i] = f(w[i] - f(f(mHat * lr) / f(f(Math.sqrt(vHat)) + eps)));
  }
}
