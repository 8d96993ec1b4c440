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

/** Backward of softmax over the last axis, from its output: dx = y * (dy - sum(dy * y)) per row. */
export function softmaxGrad<T extends Arr>(dy: T, y: Arr, cols: number): T {
  if (dy.length !== y.length) throw new Error(`softmaxGrad: dy has ${dy.length} elements, y ${y.length}`);
  const dx = new (dy.constructor as new (n: number) => T)(dy.length);
  for (let base = 0; base < dy.length; base += cols) {
    let s = 0;
    for (let k = 0; k < cols; k++) s += dy[base + k] * y[base + k];
    for (let k = 0; k < cols; k++) dx[base + k] = y[base + k] * (dy[base + k] - s);
  }
  return dx;
}
