// Categorical cross-entropy with probability targets, fused with the softmax that produced the
// prediction (as tf.keras does, from the logits behind the Softmax op):
//   probs[b, k] = softmax(logits[b, :])[k]
//   loss[b]     = -sum_k t[b, k] * log probs[b, k] = sum(t[b, :]) * logsumexp - sum_k t[b, k] * logits[b, k]
//   grad[b, k]  = (sum(t[b, :]) * probs[b, k] - t[b, k]) * weight / rows
// (the exact gradient; it is probs - t when each target row sums to 1, as TensorFlow assumes).
// Keras's label smoothing s replaces t by t * (1 - s) + s / cols first. With kl != 0 it is
// kl_divergence instead: t = clip(t, 1e-7, 1) and the loss adds sum_k t log t (same gradient).
// All tensors [rows, cols] except loss [rows]. One invocation per sample. Dispatch: rt.grid(rows, WG).
override WG: u32 = 64;

struct Params { rows: u32, cols: u32, weight: f32, smoothing: f32, kl: u32 }

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<f32>;
@group(0) @binding(2) var<storage, read_write> probs: array<f32>;
@group(0) @binding(3) var<storage, read_write> loss: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

fn smoothed(t: f32) -> f32 {
  if (params.kl != 0u) { return clamp(t, 1e-7, 1.0); }
  return t * (1.0 - params.smoothing) + params.smoothing / f32(params.cols);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let b = flat_index(wid, nwg, lid, WG);
  if (b >= params.rows) { return; }
  let base = b * params.cols;
  var m = logits[base];
  for (var k = 1u; k < params.cols; k++) { m = max(m, logits[base + k]); }
  var s = 0.0;
  var t_sum = 0.0;
  var t_dot = 0.0;
  for (var k = 0u; k < params.cols; k++) {
    s += exp(logits[base + k] - m);
    let t = smoothed(targets[base + k]);
    t_sum += t;
    t_dot += t * (logits[base + k] - m);
    if (params.kl != 0u) { t_dot -= t * log(t); }
  }
  loss[b] = t_sum * log(s) - t_dot;
  let scale = params.weight / f32(params.rows);
  for (var k = 0u; k < params.cols; k++) {
    let p = exp(logits[base + k] - m) / s;
    probs[base + k] = p;
    grad[base + k] = (t_sum * p - smoothed(targets[base + k])) * scale;
  }
}
