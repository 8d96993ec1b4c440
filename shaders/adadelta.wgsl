// Adadelta (keras/src/optimizers/adadelta.py update_step), in place over flat buffers of n:
//   ag = rho ag + (1 - rho) g^2
//   delta = -sqrt(ad + eps) g / sqrt(ag + eps)
//   ad = rho ad + (1 - rho) delta^2;  w += lr delta
// slots = [ag | ad], blocks of n. 1-D dispatch of ceil(n / WG) workgroups, folded into y.
override WG: u32 = 256;

struct Params { n: u32, lr: f32, rho: f32, one_minus_rho: f32, epsilon: f32 }

@group(0) @binding(0) var<storage, read_write> w: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> slots: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  let n = params.n;
  if (i >= n) { return; }
  let grad = g[i];
  let ag = params.rho * slots[i] + params.one_minus_rho * (grad * grad);
  slots[i] = ag;
  let delta = -((sqrt(slots[n + i] + params.epsilon) * grad) / sqrt(ag + params.epsilon));
  slots[n + i] = params.rho * slots[n + i] + params.one_minus_rho * (delta * delta);
  w[i] = w[i] + params.lr * delta;
}
