// Softmax cross-entropy from logits and integer labels, fused (what tf.keras computes for
// Dense(softmax) + sparse_categorical_crossentropy: it uses the logits behind the softmax).
//   probs[b, k] = softmax(logits[b, :])[k]
//   loss[b]     = logsumexp(logits[b, :]) - logits[b, label[b]]     (unweighted, per sample)
//   grad[b, k]  = (probs[b, k] - onehot(label[b])[k]) * weight / rows  (sum_over_batch_size)
// logits, probs, grad [rows, cols]; labels u32 [rows], each < cols (else loss and grad are NaN).
// One invocation per sample (class counts are small). Dispatch: rt.grid(rows, WG).
override WG: u32 = 64;

struct Params { rows: u32, cols: u32, weight: f32 }

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<u32>;
@group(0) @binding(2) var<storage, read_write> probs: array<f32>;
@group(0) @binding(3) var<storage, read_write> loss: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let b = flat_index(wid, nwg, lid, WG);
  if (b >= params.rows) { return; }
  let base = b * params.cols;
  let label = labels[b];
  var m = logits[base];
  for (var k = 1u; k < params.cols; k++) { m = max(m, logits[base + k]); }
  var s = 0.0;
  for (var k = 0u; k < params.cols; k++) { s += exp(logits[base + k] - m); }
  let bad = bitcast<f32>(select(0u, 0x7fc00000u, label >= params.cols));  // 0, or NaN for a bad label
  loss[b] = m + log(s) - logits[base + min(label, params.cols - 1u)] + bad;
  let scale = params.weight / f32(params.rows);
  for (var k = 0u; k < params.cols; k++) {
    let p = exp(logits[base + k] - m) / s;
    probs[base + k] = p;
    grad[base + k] = (p - select(0.0, 1.0, k == label)) * scale + bad;
  }
}
