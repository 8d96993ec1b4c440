// RMSprop (keras/src/optimizers/rmsprop.py update_step), in place over flat buffers of n weights:
//   v = rho v + (1 - rho) g^2
//   centered: a = rho a + (1 - rho) g;  denominator = v - a^2 + eps;  else  v + eps
//   inc = lr g / sqrt(denominator)           (Keras puts eps inside the sqrt)
//   momentum > 0: mom = momentum mom + inc;  w -= mom;   else  w -= inc
// slots = [v | mom if momentum > 0 | a if centered], blocks of n. 1-D dispatch of
// ceil(n / WG) workgroups, folded into y when large.
override WG: u32 = 256;

struct Params { n: u32, lr: f32, rho: f32, one_minus_rho: f32, momentum: f32, epsilon: f32, centered: u32 }

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
  let has_momentum = params.momentum > 0.0;
  let v = params.rho * slots[i] + params.one_minus_rho * (grad * grad);
  slots[i] = v;
  var denominator = v + params.epsilon;
  if (params.centered != 0u) {
    let at = select(n, 2u * n, has_momentum) + i;
    let a = params.rho * slots[at] + params.one_minus_rho * grad;
    slots[at] = a;
    denominator = (v - a * a) + params.epsilon;
  }
  let inc = (params.lr * grad) / sqrt(denominator);
  if (has_momentum) {
    let mom = params.momentum * slots[n + i] + inc;
    slots[n + i] = mom;
    w[i] = w[i] - mom;
  } else {
    w[i] = w[i] - inc;
  }
}
