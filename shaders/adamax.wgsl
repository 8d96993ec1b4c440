// Adamax (keras/src/optimizers/adamax.py update_step), in place over flat buffers of n weights:
//   m += (g - m) (1 - beta1);  u = max(beta2 u, |g|);  w -= lr m / ((1 - beta1^t) (u + eps))
// slots = [m | u], blocks of n; beta1^t from the state optimizer.step advanced earlier in the
// same pass. 1-D dispatch of ceil(n / WG) workgroups, folded into y when large.
override WG: u32 = 256;

struct Params { n: u32, lr: f32, one_minus_beta1: f32, beta2: f32, epsilon: f32 }

struct State { iterations: u32, beta1_power: f32, beta2_power: f32, alpha: f32 }

@group(0) @binding(0) var<storage, read_write> w: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> slots: array<f32>;
@group(0) @binding(3) var<storage, read> state: State;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  let n = params.n;
  if (i >= n) { return; }
  let grad = g[i];
  let m = slots[i] + (grad - slots[i]) * params.one_minus_beta1;
  let u = max(params.beta2 * slots[n + i], abs(grad));
  slots[i] = m;
  slots[n + i] = u;
  w[i] = w[i] - (params.lr * m) / ((1.0 - state.beta1_power) * (u + params.epsilon));
}
