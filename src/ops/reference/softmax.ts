// CPU reference of `softmax`: row-wise over the last axis, shifted by the row max for stability.
export type Arr = Float32Array | Float64Array;

export function softmax<T extends Arr>(x: T, cols: number): T {
  const y = new (x.constructor as new (n: number) => T)(x.length);
  for (let base = 0; base < x.length; base += cols) {
    let m = -Infinity;
    for (let k = 0; k < cols; k++) m = Math.max(m, x[base + k]);
    let s = 0;
    for (let k = 0; k < cols; k++) s += Math.exp(x[base + k] - m);
    for (let k = 0; k < cols; k++) y[base + k] = Math.exp(x[base + k] - m) / s;
  }
  return y;
}
