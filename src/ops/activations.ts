// Activations the kernels fuse, with the codes the WGSL `activate`/`activation_grad` helpers
// (shaders/common.wgsl) switch on, and their CPU reference (same rules, including relu'(0) = 0).

/** The activations a layer may name; the executor has a kernel for each. */
export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'softmax', 'tanh'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];
/** The ones applied element by element (softmax is a row operation of its own). */
export type ElementwiseActivation = Exclude<ActivationName, 'softmax'>;

export const ACTIVATION_CODES: { [A in ElementwiseActivation]: number } = {
  linear: 0,
  relu: 1,
  sigmoid: 2,
  tanh: 3,
};

export function activate(x: number, kind: ElementwiseActivation): number {
  switch (kind) {
    case 'relu':
      return x > 0 ? x : 0;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    case 'linear':
      return x;
  }
}

/** d activation / d x in terms of the output y. */
export function activationGrad(y: number, kind: ElementwiseActivation): number {
  switch (kind) {
    case 'relu':
      return y > 0 ? 1 : 0;
    case 'sigmoid':
      return y * (1 - y);
    case 'tanh':
      return 1 - y * y;
    case 'linear':
      return 1;
  }
}
