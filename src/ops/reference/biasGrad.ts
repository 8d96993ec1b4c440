// CPU reference of `biasGrad`: db[c] = sum over rows r of dy[r, c], dy viewed as [rows, channels].
export type Arr = Float32Array | Float64Array;

export function biasGrad<T extends Arr>(dy: T, channels: number): T {
  if (channels <= 0 || dy.length % channels !== 0) {
    throw new Error(`biasGrad: ${dy.length} elements do not split into rows of ${channels} channels`);
  }
  const db = new (dy.constructor as new (n: number) => T)(channels);
  for (let r = 0; r < dy.length / channels; r++) {
    for (let c = 0; c < channels; c++) db[c] += dy[r * channels + c];
  }
  return db;
}

/** The forward op biasGrad differentiates: y[r, c] = x[r, c] + b[c]. */
export function addBias<T extends Arr>(x: T, b: ArrayLike<number>): T {
  const y = new (x.constructor as new (n: number) => T)(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] + b[i % b.length];
  return y;
}
