// CPU reference of the activations with parameters of Keras's activation layers: ReLU
// (negative_slope, max_value, threshold; LeakyReLU is its negative slope) and ELU (alpha).
// Backward reads the input x: with a threshold the output does not tell which side x was on.

export interface ParamActivation {
  kind: 'relu' | 'elu';
  /** relu: the slope below the threshold; elu: the scale of exp(x) - 1 below 0. */
  alpha: number;
  /** relu only: the largest output, or null for none. */
  maxValue: number | null;
  /** relu only: x at or below it is "negative" (Keras requires threshold >= 0). */
  threshold: number;
}

/**
 * Keras 3's relu(x, negative_slope, max_value, threshold): x above the threshold (clipped to
 * [0, max_value]), minus negative_slope * relu(threshold - x); and elu: x > 0 ? x : alpha (e^x - 1).
 */
export function paramActivate(x: number, p: ParamActivation): number {
  const { alpha, maxValue, threshold } = float32(p);
  if (p.kind === 'elu') return x > 0 ? x : alpha * Math.expm1(x);
  let a = x > threshold ? x : 0;
  if (maxValue !== null) a = Math.min(Math.max(a, 0), maxValue);
  return a - alpha * Math.max(threshold - x, 0);
}

/** The parameters as the kernels see them (float32 uniforms), so an input equal to the threshold falls on the same side. */
function float32(p: ParamActivation): ParamActivation {
  return { kind: p.kind, alpha: Math.fround(p.alpha), maxValue: p.maxValue === null ? null : Math.fround(p.maxValue), threshold: Math.fround(p.threshold) };
}

/** d paramActivate / d x at x (0 at the kinks' upper sides, as relu'(0) = 0). */
export function paramActivationSlope(x: number, p: ParamActivation): number {
  const { alpha, maxValue, threshold } = float32(p);
  if (p.kind === 'elu') return x > 0 ? 1 : alpha * Math.exp(x);
  if (x > threshold) return maxValue === null || x < maxValue ? 1 : 0;
  return x < threshold ? alpha : 0;
}

export function paramActivation<T extends Float32Array | Float64Array>(x: T, p: ParamActivation): T {
  return x.map((v) => paramActivate(v, p)) as T;
}

/** dx = dy * f'(x). */
export function paramActivationGrad<T extends Float32Array | Float64Array>(dy: T, x: Float32Array | Float64Array, p: ParamActivation): T {
  if (dy.length !== x.length) throw new Error(`paramActivationGrad: dy has ${dy.length} elements, x ${x.length}`);
  return dy.map((g, i) => g * paramActivationSlope(x[i], p)) as T;
}
