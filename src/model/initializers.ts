// Weight initializers with Keras's definitions and defaults (glorot_uniform
// kernels, zeros biases). Fans follow keras.initializers._compute_fans: for a
// conv kernel [kh, kw, in, out] the receptive field kh*kw multiplies both.

import type { Random } from './random.ts';

export const INITIALIZERS = ['glorotUniform', 'heUniform', 'lecunUniform', 'zeros', 'ones'] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** Fills `out` in place; uniform variance-scaling limits as in Keras. */
export function initialize(name: InitializerName, shape: readonly number[], out: Float32Array, rng: Random): void {
  if (name === 'zeros' || name === 'ones') {
    out.fill(name === 'ones' ? 1 : 0);
    return;
  }
  const { fanIn, fanOut } = computeFans(shape);
  const limit =
    name === 'glorotUniform'
      ? Math.sqrt(6 / (fanIn + fanOut))
      : name === 'heUniform'
        ? Math.sqrt(6 / fanIn)
        : Math.sqrt(3 / fanIn);
  for (let i = 0; i < out.length; i++) out[i] = rng.symmetric(limit);
}
