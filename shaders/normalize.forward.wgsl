// Per-channel normalization (BatchNormalization, Normalization): for x viewed as [rows, channels],
// y[i] = (x[i] - mean[c]) * inv_std(variance[c]) * gamma[c] + beta[c], c = i % channels, where
// inv_std = 1 / sqrt(variance + epsilon), or 1 / max(sqrt(variance), epsilon) with `floor`
// (Keras's Normalization). gamma and beta are bound to another tensor and read as 1 and 0 when
// has_gamma / has_beta are 0. One invocation per element: rt.grid(n, WG), 1-D folded into y.
override WG: u32 = 256;

struct Params { n: u32, channels: u32, epsilon: f32, floor: u32, has_gamma: u32, has_beta: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;         // [rows, channels]
@group(0) @binding(1) var<storage, read> mean: array<f32>;      // [channels]
@group(0) @binding(2) var<storage, read> variance: array<f32>;  // [channels]
@group(0) @binding(3) var<storage, read> gamma: array<f32>;     // [channels]
@group(0) @binding(4) var<storage, read> beta: array<f32>;      // [channels]
@group(0) @binding(5) var<storage, read_write> y: array<f32>;   // [rows, channels]
@group(0) @binding(6) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let c = i % params.channels;
  var factor = inv_std(variance[c], params.epsilon, params.floor);
  if (params.has_gamma != 0u) { factor *= gamma[c]; }
  var shift = 0.0;
  if (params.has_beta != 0u) { shift = beta[c]; }
  y[i] = (x[i] - mean[c]) * factor + shift;
}
