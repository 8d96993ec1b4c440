// Helpers shared by every kernel. Appended after each kernel's own source (WGSL declarations are
// order-independent), so compile errors keep the kernel file's own line numbers.

// Flat invocation index for 1-D work folded into a 2-D grid (see GpuRuntime.grid):
// workgroups run along x first, then y; `wg_size` is the kernel's workgroup size.
fn flat_index(wid: vec3u, nwg: vec3u, lid: u32, wg_size: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * wg_size + lid;
}

// Elementwise activations fused into producing kernels. Codes match ACTIVATION_CODES in
// src/ops/activations.ts (Keras 3's formulas and constants); softmax is row-wise: its own kernel.
fn activate(x: f32, kind: u32) -> f32 {
  switch kind {
    case 1u: { return max(x, 0.0); }
    case 2u: { return 1.0 / (1.0 + exp(-x)); }
    case 3u: { return tanh(x); }
    case 4u: { return clamp(x, 0.0, 6.0); } // relu6
    case 5u: { return clamp(x + 3.0, 0.0, 6.0) / 6.0; } // hard_sigmoid
    case 6u: { return max(x, 0.0) + log(1.0 + exp(-abs(x))); } // softplus
    case 7u: { return x / (1.0 + abs(x)); } // softsign
    case 8u: { return select(exp(x) - 1.0, x, x > 0.0); } // elu
    case 9u: { return select(SELU_SCALE * SELU_ALPHA * (exp(x) - 1.0), SELU_SCALE * x, x > 0.0); } // selu
    case 10u: { return 0.5 * x * (1.0 + erf(x * 0.70710678)); } // gelu
    case 11u: { return x / (1.0 + exp(-x)); } // silu
    case 12u: { return exp(x); } // exponential
    case 13u: { return select(0.2 * x, x, x > 0.0); } // leaky_relu
    default: { return x; }
  }
}

const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_SCALE: f32 = 1.0507009873554805;

// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), as erf() in src/ops/activations.ts.
fn erf(x: f32) -> f32 {
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign(x) * (1.0 - poly * exp(-a * a));
}

// d activation / d x written in terms of the activation's output y, so backward needs only y;
// gelu and silu (not monotonic) take their input x instead. relu's gradient at exactly 0 is 0
// (as TensorFlow does).
fn activation_grad(y: f32, kind: u32) -> f32 {
  switch kind {
    case 1u: { return select(0.0, 1.0, y > 0.0); }
    case 2u: { return y * (1.0 - y); }
    case 3u: { return 1.0 - y * y; }
    case 4u: { return select(0.0, 1.0, y > 0.0 && y < 6.0); }
    case 5u: { return select(0.0, 1.0 / 6.0, y > 0.0 && y < 1.0); }
    case 6u: { return 1.0 - exp(-y); }
    case 7u: { return (1.0 - abs(y)) * (1.0 - abs(y)); }
    case 8u: { return select(y + 1.0, 1.0, y > 0.0); }
    case 9u: { return select(y + SELU_SCALE * SELU_ALPHA, SELU_SCALE, y > 0.0); }
    case 10u: { return 0.5 * (1.0 + erf(y * 0.70710678)) + y * 0.39894228 * exp(-0.5 * y * y); } // from x
    case 11u: { let s = 1.0 / (1.0 + exp(-y)); return s * (1.0 + y * (1.0 - s)); } // from x
    case 12u: { return y; }
    case 13u: { return select(0.2, 1.0, y > 0.0); }
    default: { return 1.0; }
  }
}

// Normalization's 1 / standard deviation: 1 / sqrt(variance + epsilon) (BatchNormalization), or
// 1 / max(sqrt(variance), epsilon) when `use_floor` is 1 (Keras's Normalization).
fn inv_std(variance: f32, epsilon: f32, use_floor: u32) -> f32 {
  if (use_floor != 0u) { return 1.0 / max(sqrt(variance), epsilon); }
  return inverseSqrt(variance + epsilon);
}
