// CPU reference of inverted dropout (Keras `Dropout` in training): an element is kept when its
// counter-based uniform u = counterUniform(seed, step, i) satisfies u >= rate (probability
// 1 - rate), and kept values are multiplied by scale = 1 / (1 - rate), rounded to float32 once.
// Backward recomputes the same mask from (seed, step), so no mask tensor is stored.
import { checkDropoutRate, dropoutScale } from '../dropout';
import { counterUniform } from './random';

type Arr = Float32Array | Float64Array;

export interface DropoutParams {
  /** Fraction of elements dropped, in [0, 1). 0 is the identity. */
  rate: number;
  /** Per-layer seed: two Dropout layers need different seeds or they drop the same elements. */
  seed: number;
  /** Training step (the GPU reads it from a u32 counter tensor). */
  step: number;
}

export function dropoutKeep(i: number, p: DropoutParams): boolean {
  return counterUniform(p.seed, p.step, i) >= Math.fround(p.rate);
}

function masked<T extends Arr>(x: T, p: DropoutParams): T {
  checkDropoutRate(p.rate);
  const scale = dropoutScale(p.rate);
  const out = new (x.constructor as new (n: number) => T)(x.length);
  for (let i = 0; i < x.length; i++) out[i] = dropoutKeep(i, p) ? x[i] * scale : 0;
  return out;
}

/** y = mask * x * scale. */
export function dropoutForward<T extends Arr>(x: T, p: DropoutParams): T {
  return masked(x, p);
}

/** dx = mask * dy * scale (the same mask as forward). */
export function dropoutBackward<T extends Arr>(dy: T, p: DropoutParams): T {
  return masked(dy, p);
}
