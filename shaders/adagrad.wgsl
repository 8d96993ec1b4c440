// Adagrad (keras/src/optimizers/adagrad.py update_step), in place over flat buffers of n weights:
//   acc += g^2;  w -= lr * g / sqrt(acc + eps)
// acc[n] is the one slot per weight, filled with initial_accumulator_value for a fresh optimizer.
// 1-D dispatch of ceil(n / WG) workgroups, folded into y when large.
override WG: u32 = 256;

struct Params { n: u32, lr: f32, epsilon: f32 }

@group(0) @binding(0) var<storage, read_write> w: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> acc: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let grad = g[i];
  let a = acc[i] + grad * grad;
  acc[i] = a;
  w[i] = w[i] - (params.lr * grad) / sqrt(a + params.epsilon);
}
