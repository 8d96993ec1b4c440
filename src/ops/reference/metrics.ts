// CPU reference of the metric accumulators: acc[slot] += scale * sum(values), and
// acc[slot] += number of rows whose first maximum is at the label's index (sparse accuracy).
export type Arr = Float32Array | Float64Array;

export function accumulateSum(acc: Float32Array, slot: number, values: ArrayLike<number>, scale = 1): void {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  acc[slot] += scale * s;
}

/** Index of the first maximum of a row (ties go to the lower index, NaN never wins). */
export function argmax(x: ArrayLike<number>, start: number, cols: number): number {
  let best = 0;
  for (let k = 1; k < cols; k++) if (x[start + k] > x[start + best]) best = k;
  return best;
}

export function countCorrect(pred: Arr, labels: Uint32Array, cols: number): number {
  let correct = 0;
  labels.forEach((label, b) => {
    if (argmax(pred, b * cols, cols) === label) correct++;
  });
  return correct;
}

export function accumulateAccuracy(acc: Float32Array, slot: number, pred: Arr, labels: Uint32Array, cols: number): void {
  acc[slot] += countCorrect(pred, labels, cols);
}
