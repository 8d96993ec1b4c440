// Mean squared error, per sample and its gradient in one pass:
//   loss[b] = mean_k (pred - target)^2;  grad = 2 (pred - target) / cols * weight / rows
// pred, targets, grad [rows, cols]; loss [rows] (unweighted). Reduction sum_over_batch_size: the
// gradient carries 1/rows and the loss weight. One invocation per sample. Dispatch: rt.grid(rows, WG).
override WG: u32 = 64;

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
    let d = pred[i] - targets[i];
    s += d * d;
    grad[i] = 2.0 * d * scale;
  }
  loss[b] = s / f32(params.cols);
}
