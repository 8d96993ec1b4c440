// Binary cross-entropy on probabilities, Keras style: pred clipped to [EPS, 1 - EPS], per sample and its gradient in one pass:
//   loss[b] = mean_k -(t log p + (1 - t) log(1 - p)), p = clip(pred);  grad = (p - t) / (p (1 - p)) / cols * weight / rows
// inside the clip range and 0 outside it (the clip passes no gradient there, as in TensorFlow)
// pred, targets, grad [rows, cols]; loss [rows] (unweighted). Reduction sum_over_batch_size: the
// gradient carries 1/rows and the loss weight. One invocation per sample. Dispatch: rt.grid(rows, WG).
override WG: u32 = 64;
const EPS: f32 = 1e-7;
struct Params { rows: u32, cols: u32, weight: f32 }

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<f32>;
@group(0) @binding(2) var<storage, read_write> loss: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let b = flat_index(wid, nwg, lid, WG);
  if (b >= params.rows) { return; }
  let scale = params.weight / f32(params.rows * params.cols);
  var s = 0.0;
  for (var i = b * params.cols; i < (b + 1u) * params.cols; i++) {
    let t = targets[i];
    let p = clamp(pred[i], EPS, 1.0 - EPS);
    s -= t * log(p) + (1.0 - t) * log(1.0 - p);
    let inside = pred[i] >= EPS && pred[i] <= 1.0 - EPS;
    grad[i] = select(0.0, (p - t) / (p * (1.0 - p)) * scale, inside);
  }
  loss[b] = s / f32(params.cols);
}
