// Moving average of non-trainable state, in place: state[i] = momentum * state[i] + rest * x[i]
// with rest = 1 - momentum (rounded on the host), for i < n. `state` is a view into the packed
// weights (BatchNormalization's moving mean and variance); x is the batch statistic, same size.
// 1-D dispatch of ceil(n / WG) workgroups, folded into y when large.
override WG: u32 = 256;

struct Params { n: u32, momentum: f32, rest: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> state: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let kept = state[i] * params.momentum;
  let added = x[i] * params.rest;
  state[i] = kept + added;
}
