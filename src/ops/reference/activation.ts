// CPU reference of the elementwise activation kernels: forward y = act(x), backward from the
// output, dx = dy * act'(y) (relu'(0) = 0), as the WGSL `activate`/`activation_grad` helpers do;
// for gelu and silu (gradFromInput) `y` is the input x.
import { activate, activationGrad as gradFromOutput, type ElementwiseActivation } from '../activations';

export type Arr = Float32Array | Float64Array;

export function activation<T extends Arr>(x: T, kind: ElementwiseActivation): T {
  return x.map((v) => activate(v, kind)) as T;
}

export function activationGrad<T extends Arr>(dy: T, y: Arr, kind: ElementwiseActivation): T {
  if (dy.length !== y.length) throw new Error(`activationGrad: dy has ${dy.length} elements, y ${y.length}`);
  return dy.map((g, i) => g * gradFromOutput(y[i], kind)) as T;
}
