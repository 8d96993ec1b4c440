// Helpers shared by every kernel. Appended after each kernel's own source (WGSL declarations are
// order-independent), so compile errors keep the kernel file's own line numbers.

// Flat invocation index for 1-D work folded into a 2-D grid (see GpuRuntime.grid):
// workgroups run along x first, then y; `wg_size` is the kernel's workgroup size.
fn flat_index(wid: vec3u, nwg: vec3u, lid: u32, wg_size: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * wg_size + lid;
}

// Elementwise activations fused into producing kernels. Codes match ACTIVATION_CODES in
// src/gpu/activations.ts: 0 linear, 1 relu, 2 sigmoid, 3 tanh (softmax is row-wise: its own kernel).
fn activate(x: f32, kind: u32) -> f32 {
  switch kind {
    case 1u: { return max(x, 0.0); }
    case 2u: { return 1.0 / (1.0 + exp(-x)); }
    case 3u: { return tanh(x); }
    default: { return x; }
  }
}

// d activation / d x written in terms of the activation's output y, so backward needs only y.
// relu's gradient at exactly 0 is taken as 0 (as TensorFlow does).
fn activation_grad(y: f32, kind: u32) -> f32 {
  switch kind {
    case 1u: { return select(0.0, 1.0, y > 0.0); }
    case 2u: { return y * (1.0 - y); }
    case 3u: { return 1.0 - y * y; }
    default: { return 1.0; }
  }
}

// Normalization's 1 / standard deviation: 1 / sqrt(variance + epsilon) (BatchNormalization), or
// 1 / max(sqrt(variance), epsilon) when `use_floor` is 1 (Keras's Normalization).
fn inv_std(variance: f32, epsilon: f32, use_floor: u32) -> f32 {
  if (use_floor != 0u) { return 1.0 / max(sqrt(variance), epsilon); }
  return inverseSqrt(variance + epsilon);
}
