// Nadam (keras/src/optimizers/nadam.py update_step), in place over flat buffers of n weights:
//   u_t = b1 (1 - 0.5 * 0.96^t), u_t1 = b1 (1 - 0.5 * 0.96^(t+1)), u_product_t1 = u_product_t u_t1
//   m += (g - m)(1 - b1);  v += (g^2 - v)(1 - b2)
//   m_hat = u_t1 m / (1 - u_product_t1) + (1 - u_t) g / (1 - u_product_t);  v_hat = v / (1 - b2^t)
//   w -= lr m_hat / (sqrt(v_hat) + eps)
// slots = [m | v], blocks of n. The state (optimizer.step in its nadam mode) holds u_product_t,
// b2^t and 0.96^t. 1-D dispatch of ceil(n / WG) workgroups, folded into y when large.
override WG: u32 = 256;

struct Params { n: u32, lr: f32, beta1: f32, one_minus_beta1: f32, one_minus_beta2: f32, epsilon: f32 }

struct State { iterations: u32, u_product: f32, beta2_power: f32, decay_power: f32 }

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
  let u_t = params.beta1 * (1.0 - 0.5 * state.decay_power);
  let u_t1 = params.beta1 * (1.0 - 0.5 * (state.decay_power * 0.96));
  let product_t1 = state.u_product * u_t1;
  let grad = g[i];
  let m = slots[i] + (grad - slots[i]) * params.one_minus_beta1;
  let v = slots[n + i] + (grad * grad - slots[n + i]) * params.one_minus_beta2;
  slots[i] = m;
  slots[n + i] = v;
  let m_hat = (u_t1 * m) / (1.0 - product_t1) + ((1.0 - u_t) * grad) / (1.0 - state.u_product);
  let v_hat = v / (1.0 - state.beta2_power);
  w[i] = w[i] - (m_hat * params.lr) / (sqrt(v_hat) + params.epsilon);
}
