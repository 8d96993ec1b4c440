// A synthetic regression set for the seed's branched model: three inputs and two targets that are
// different smooth functions of them (like the seed's y1/y2), reproducible from a seed.
import { Random } from '../model/random';

export interface RegressionSet {
  x: Float32Array; // [n, 3]
  y1: Float32Array; // [n, 1]
  y2: Float32Array; // [n, 1]
  count: number;
}

export function branchedRegression(count: number, seed = 0): RegressionSet {
  const rng = new Random(seed);
  const x = new Float32Array(count * 3);
  const y1 = new Float32Array(count);
  const y2 = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const [a, b, c] = [0, 1, 2].map(() => rng.nextFloat() * 2 - 1);
    x.set([a, b, c], i * 3);
    y1[i] = 0.5 * a - 0.8 * b + 0.3 * c * c + 0.05 * (rng.nextFloat() - 0.5);
    y2[i] = Math.sin(2 * a) * b + 0.5 * c + 0.05 * (rng.nextFloat() - 0.5);
  }
  return { x, y1, y2, count };
}
