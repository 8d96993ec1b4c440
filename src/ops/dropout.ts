// Dropout's rate rule and scale, shared by the reference op and the GPU kernel wrapper.

export function checkDropoutRate(rate: number): void {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
}

/** float32 scale applied to kept elements, the same value the GPU receives as a uniform. */
export function dropoutScale(rate: number): number {
  return Math.fround(1 / (1 - rate));
}
