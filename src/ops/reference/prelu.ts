// CPU reference of PReLU: y = x > 0 ? x : alpha * x, with alpha [features] broadcast over the
// batch and over Keras's shared_axes (where alpha has size 1), and its gradients for x and alpha.

/** How alpha maps onto one sample's features. */
export interface PreluGeometry {
  /** One sample's feature dims: x is [batch, ...features]. */
  features: number[];
  /** Per feature axis, alpha's row-major stride, or 0 along a shared axis (alpha's size there is 1). */
  alphaStrides: number[];
}

/** alpha's index for feature element f (row-major over `features`). */
export function alphaIndex(f: number, g: PreluGeometry): number {
  let a = 0;
  for (let j = g.features.length - 1; j >= 0; j--) {
    a += (f % g.features[j]) * g.alphaStrides[j];
    f = Math.floor(f / g.features[j]);
  }
  return a;
}

const featureSize = (g: PreluGeometry) => g.features.reduce((a, d) => a * d, 1);

export function prelu<T extends Float32Array | Float64Array>(x: T, alpha: ArrayLike<number>, g: PreluGeometry): T {
  const size = featureSize(g);
  return x.map((v, i) => (v > 0 ? v : alpha[alphaIndex(i % size, g)] * v)) as T;
}

/** dx = dy * (x > 0 ? 1 : alpha). */
export function preluGradInput<T extends Float32Array | Float64Array>(dy: T, x: ArrayLike<number>, alpha: ArrayLike<number>, g: PreluGeometry): T {
  const size = featureSize(g);
  return dy.map((d, i) => (x[i] > 0 ? d : d * alpha[alphaIndex(i % size, g)])) as T;
}

/** dalpha[a] = sum of dy * x over the elements with x <= 0 that alpha[a] scales (float64 sums). */
export function preluGradAlpha(dy: ArrayLike<number>, x: ArrayLike<number>, alphaSize: number, g: PreluGeometry): Float64Array {
  const size = featureSize(g);
  const sums = new Float64Array(alphaSize);
  for (let i = 0; i < x.length; i++) if (!(x[i] > 0)) sums[alphaIndex(i % size, g)] += dy[i] * x[i];
  return sums;
}
