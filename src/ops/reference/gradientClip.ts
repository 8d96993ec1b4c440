// CPU reference of what Keras 3 does to gradients and weights before an optimizer's update
// (keras/src/optimizers/base_optimizer.py): clipnorm per weight, global_clipnorm over all
// weights, or clipvalue; then the decoupled weight decay w -= w * wd * lr. A weight is a segment
// [offset, offset + size) of the packed buffers; only trainable weights are segments (the others
// get no gradient and no decay). Float32 throughout; the sums of squares are added in float64
// and rounded once (an order-independent stand-in for the GPU's tree reduction).
import type { GradientOptions } from '../optimizers';

export interface Segment {
  offset: number;
  size: number;
}

const f = Math.fround;

function sumOfSquares(g: Float32Array, s: Segment): number {
  let sum = 0;
  for (let i = s.offset; i < s.offset + s.size; i++) sum += g[i] * g[i];
  return f(sum);
}

/** Clips g in place as Keras's _clip_gradients (only one of the three options may be set). */
export function clipGradients(g: Float32Array, segments: readonly Segment[], o: Partial<GradientOptions>): void {
  if (o.clipnorm) {
    const clip = f(o.clipnorm);
    for (const s of segments) {
      // values * clipnorm / max(l2norm, clipnorm)
      const norm = f(Math.sqrt(sumOfSquares(g, s)));
      const denominator = Math.max(norm, clip);
      for (let i = s.offset; i < s.offset + s.size; i++) g[i] = f(f(g[i] * clip) / denominator);
    }
  } else if (o.globalClipnorm) {
    const clip = f(o.globalClipnorm);
    let total = 0;
    for (const s of segments) total = f(total + sumOfSquares(g, s));
    const norm = f(Math.sqrt(total));
    // clip * min(1 / norm, 1 / clip): 1 when the norm is within the limit.
    const scale = f(clip * Math.min(f(1 / norm), f(1 / clip)));
    for (const s of segments) for (let i = s.offset; i < s.offset + s.size; i++) g[i] = f(g[i] * scale);
  } else if (o.clipvalue) {
    const v = f(o.clipvalue);
    for (const s of segments) for (let i = s.offset; i < s.offset + s.size; i++) g[i] = Math.min(v, Math.max(-v, g[i]));
  }
}

/** Decoupled weight decay on the trainable weights: w -= w * wd * lr. */
export function applyWeightDecay(w: Float32Array, segments: readonly Segment[], weightDecay: number, lr: number): void {
  if (!weightDecay) return;
  const [wd, rate] = [f(weightDecay), f(lr)];
  for (const s of segments) for (let i = s.offset; i < s.offset + s.size; i++) w[i] = f(w[i] - f(f(w[i] * wd) * rate));
}
