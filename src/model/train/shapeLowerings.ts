// The forward ops of the pooling, reshaping, merge and noise layers (lowerings.ts's entries for
// them call these). 1-D pools run as 2-D pools over an image of height 1; global pools are one
// window over the whole input; merges of n inputs fold pairwise as Keras does.
import type { MergeKind } from '../../ops/reference/merge';
import type { NoiseKind } from '../../ops/reference/noise';
import type { Padding } from '../../ops/shapes';
import type { Sides2D } from '../layers/padding2d';
import type { OpBuilder } from './forwardOps';
import type { ValueId } from './program';

/** A max or average pool over every position of x [N, ..., C] (rank 3 or 4), as outShape. */
export function globalPool(g: OpBuilder, x: ValueId, max: boolean, outShape: number[]): ValueId {
  const shape = g.shapeOf(x);
  const image = shape.length === 4 ? x : g.reshape(x, [shape[0], 1, shape[1], shape[2]]); // [N, H, W, C]
  const [, h, w] = g.shapeOf(image);
  const window = { kernel: [h, w], strides: [h, w], padding: 'valid' } as const;
  return g.reshape(max ? g.maxPool(image, window) : g.avgPool(image, window), outShape);
}

/** A 1-D pool of x [N, steps, C] as a 2-D pool of [N, 1, steps, C]. */
export function pool1d(g: OpBuilder, x: ValueId, max: boolean, c: { poolSize: [number]; strides: [number]; padding: Padding }, outShape: number[]): ValueId {
  const [n, steps, channels] = g.shapeOf(x);
  const image = g.reshape(x, [n, 1, steps, channels]);
  const window = { kernel: [1, c.poolSize[0]], strides: [1, c.strides[0]], padding: c.padding } as const;
  return g.reshape(max ? g.maxPool(image, window) : g.avgPool(image, window), outShape);
}

/** ZeroPadding2D (sign 1) or Cropping2D (sign -1) of x [N, H, W, C] to outShape. */
export function shift2d(g: OpBuilder, x: ValueId, sides: Sides2D, sign: 1 | -1, outShape: number[]): ValueId {
  const [[top], [left]] = sides;
  return g.pad2d(x, outShape[1], outShape[2], sign * top, sign * left);
}

/** inputs[0] op inputs[1] op ... folded left, as Keras's merge layers compute them. */
export function foldMerge(g: OpBuilder, inputs: ValueId[], kind: MergeKind): ValueId {
  let acc = inputs[0];
  for (let i = 1; i < inputs.length; i++) acc = g.merge(acc, inputs[i], kind, i === inputs.length - 1 ? undefined : `(partial ${i})`);
  return acc;
}

/** The mean of the inputs: their sum times 1 / n. */
export function average(g: OpBuilder, inputs: ValueId[]): ValueId {
  let acc = inputs[0];
  for (let i = 1; i < inputs.length; i++) acc = g.add(acc, inputs[i], `(partial ${i})`);
  return g.scale(acc, 1 / inputs.length, 0);
}

/** Noise in training when its amount is not 0; the identity (a view) otherwise. */
export function noiseLayer(g: OpBuilder, x: ValueId, kind: NoiseKind, amount: number, training: boolean, seed: number, outShape: number[]): ValueId {
  return training && amount > 0 ? g.noise(x, kind, amount, seed) : g.reshape(x, outShape);
}
