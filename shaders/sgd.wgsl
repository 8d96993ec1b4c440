// Plain SGD (Keras SGD with momentum 0), in place over a flat parameter buffer:
//   w[i] -= lr * g[i], for i < n.
// w and g may be views into packed buffers holding every weight of a model, so one dispatch
// updates them all. 1-D dispatch of ceil(n / WG) workgroups, folded into y when large.
override WG: u32 = 256;

struct Params { n: u32, lr: f32 }

@group(0) @binding(0) var<storage, read_write> w: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  w[i] = w[i] - params.lr * g[i];
}
