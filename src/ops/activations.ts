// Activations the kernels fuse, with the codes the WGSL `activate`/`activation_grad` helpers
// (shaders/common.wgsl) switch on, and their CPU reference (same formulas, including relu'(0) = 0).
// Names and constants are Keras 3's (keras.activations): hard_sigmoid is relu6(x + 3) / 6,
// leaky_relu's slope 0.2, elu's alpha 1, gelu the exact erf form (approximate=False), and 'swish'
// is written 'silu' in configs.

/** The activations a layer may name; the executor has a kernel for each. */
export const ACTIVATIONS = [
  'linear', 'relu', 'sigmoid', 'softmax', 'tanh',
  'relu6', 'hard_sigmoid', 'softplus', 'softsign', 'elu', 'selu', 'gelu', 'silu', 'exponential', 'leaky_relu',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];
/** The ones applied element by element (softmax is a row operation of its own). */
export type ElementwiseActivation = Exclude<ActivationName, 'softmax'>;

/** Other names Keras reads for an activation (it writes the canonical one in configs). */
export const ACTIVATION_ALIASES: Readonly<Record<string, ActivationName>> = { swish: 'silu' };

export const ACTIVATION_CODES: { [A in ElementwiseActivation]: number } = {
  linear: 0,
  relu: 1,
  sigmoid: 2,
  tanh: 3,
  relu6: 4,
  hard_sigmoid: 5,
  softplus: 6,
  softsign: 7,
  elu: 8,
  selu: 9,
  gelu: 10,
  silu: 11,
  exponential: 12,
  leaky_relu: 13,
};

/**
 * Activations whose derivative is not a function of their output (they are not monotonic), so
 * backward reads the input x instead of y, and they are never folded into dense or conv2d.
 */
export function gradFromInput(kind: ElementwiseActivation): boolean {
  return kind === 'gelu' || kind === 'silu';
}

export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;
export const LEAKY_RELU_SLOPE = 0.2;
const INV_SQRT2 = 0.7071067811865476;
const INV_SQRT_2PI = 0.3989422804014327;

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), the same formula as the WGSL helper. */
export function erf(x: number): number {
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const r = 1 - poly * Math.exp(-a * a);
  return x < 0 ? -r : r;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function activate(x: number, kind: ElementwiseActivation): number {
  switch (kind) {
    case 'relu':
      return x > 0 ? x : 0;
    case 'sigmoid':
      return sigmoid(x);
    case 'tanh':
      return Math.tanh(x);
    case 'linear':
      return x;
    case 'relu6':
      return Math.min(Math.max(x, 0), 6);
    case 'hard_sigmoid':
      return Math.min(Math.max(x + 3, 0), 6) / 6;
    case 'softplus':
      // log(1 + e^x) without overflow.
      return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    case 'softsign':
      return x / (1 + Math.abs(x));
    case 'elu':
      return x > 0 ? x : Math.expm1(x);
    case 'selu':
      return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x);
    case 'gelu':
      return 0.5 * x * (1 + erf(x * INV_SQRT2));
    case 'silu':
      return x * sigmoid(x);
    case 'exponential':
      return Math.exp(x);
    case 'leaky_relu':
      return x > 0 ? x : LEAKY_RELU_SLOPE * x;
  }
}

/** d activation / d x in terms of the output y, or of the input x where gradFromInput(kind). */
export function activationGrad(v: number, kind: ElementwiseActivation): number {
  switch (kind) {
    case 'relu':
      return v > 0 ? 1 : 0;
    case 'sigmoid':
      return v * (1 - v);
    case 'tanh':
      return 1 - v * v;
    case 'linear':
      return 1;
    case 'relu6':
      return v > 0 && v < 6 ? 1 : 0;
    case 'hard_sigmoid':
      return v > 0 && v < 1 ? 1 / 6 : 0;
    case 'softplus':
      // sigmoid(x) = 1 - e^-y
      return -Math.expm1(-v);
    case 'softsign':
      // 1 / (1 + |x|)^2 = (1 - |y|)^2
      return (1 - Math.abs(v)) * (1 - Math.abs(v));
    case 'elu':
      return v > 0 ? 1 : v + 1;
    case 'selu':
      return v > 0 ? SELU_SCALE : v + SELU_SCALE * SELU_ALPHA;
    case 'gelu':
      // from x: Phi(x) + x phi(x)
      return 0.5 * (1 + erf(v * INV_SQRT2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
    case 'silu': {
      // from x: s (1 + x (1 - s))
      const s = sigmoid(v);
      return s * (1 + v * (1 - s));
    }
    case 'exponential':
      return v;
    case 'leaky_relu':
      return v > 0 ? 1 : LEAKY_RELU_SLOPE;
  }
}
