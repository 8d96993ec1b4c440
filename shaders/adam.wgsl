// Adam (keras/src/optimizers/adam.py update_step), in place over flat buffers of n weights:
//   m += (g - m) * (1 - beta1);  v += (g^2 - v) * (1 - beta2);  w -= alpha * m / (sqrt(v) + eps)
//   amsgrad: v_hat = max(v_hat, v) replaces v in the last step.
// slots = [m | v | v_hat if amsgrad] (blocks of n, so neighbouring threads read neighbouring words).
// alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t) comes from the state that optimizer.step.wgsl
// advanced earlier in the same pass. 1-D dispatch of ceil(n / WG) workgroups, folded into y.
override WG: u32 = 256;

struct Params { n: u32, one_minus_beta1: f32, one_minus_beta2: f32, epsilon: f32, amsgrad: u32 }

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
  let v = slots[n + i] + (grad * grad - slots[n + i]) * params.one_minus_beta2;
  slots[i] = m;
  slots[n + i] = v;
  var v_used = v;
  if (params.amsgrad != 0u) {
    v_used = max(slots[2u * n + i], v);
    slots[2u * n + i] = v_used;
  }
  w[i] = w[i] - (m * state.alpha) / (sqrt(v_used) + params.epsilon);
}
