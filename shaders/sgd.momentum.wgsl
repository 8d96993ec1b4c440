// SGD with momentum (keras/src/optimizers/sgd.py update_step), in place, flat buffers of n:
//   v = momentum * v - lr * g;   w += v,   or with nesterov:  w += momentum * v - lr * g.
// velocity[n] is the optimizer's one slot per weight. 1-D dispatch of ceil(n / WG) workgroups,
// folded into y when large.
override WG: u32 = 256;

struct Params { n: u32, lr: f32, momentum: f32, nesterov: u32 }

@group(0) @binding(0) var<storage, read_write> w: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> velocity: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let step = params.lr * g[i];
  let v = velocity[i] * params.momentum - step;
  velocity[i] = v;
  if (params.nesterov != 0u) {
    w[i] = w[i] + (v * params.momentum - step);
  } else {
    w[i] = w[i] + v;
  }
}
