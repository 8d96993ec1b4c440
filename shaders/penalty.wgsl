// A regularizer's penalty, elementwise (Keras's L1L2): values[i] = l1 * |x[i]| + l2 * x[i]^2, summed
// afterwards by metric.sum, and when has_grad, dx[i] = (l1 * sign(x[i]) + 2 * l2 * x[i]) / divide.
// 1-D dispatch of ceil(n / WG) workgroups, folded into y when large.
override WG: u32 = 256;

struct Params { n: u32, has_grad: u32, l1: f32, l2: f32, divide: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> values: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let v = x[i];
  values[i] = params.l1 * abs(v) + params.l2 * v * v;
  if (params.has_grad != 0u) { dx[i] = (params.l1 * sign(v) + 2.0 * params.l2 * v) / params.divide; }
}
