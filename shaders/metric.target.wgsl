// Metrics against targets of the prediction's shape, without readback: acc[slot] += the sum over
// rows of the per-row value. Codes match TARGET_METRIC_CODES in src/gpu/kernels/kerasMetrics.ts:
//   0 binary_accuracy (mean over the row of (pred > threshold) == target)
//   1 categorical_accuracy (first argmax of pred == first argmax of target)
//   2 top_k_categorical_accuracy (Keras's in_top_k: 1 + #{pred > pred[argmax target]} <= k; NaN never in)
//   3 mean_absolute_error   4 mean_squared_error (means over the row)
// pred, targets [rows, cols] f32; acc [slots] f32.
// Dispatch: exactly one workgroup ([1, 1, 1]); per-row values reduced as a tree in workgroup memory.
override WG: u32 = 256;

struct Params { rows: u32, cols: u32, slot: u32, kind: u32, k: u32, threshold: f32 }

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<f32>;
@group(0) @binding(2) var<storage, read_write> acc: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> sums: array<f32, WG>;

fn first_argmax(base: u32, use_targets: bool) -> u32 {
  var best = 0u;
  for (var k = 1u; k < params.cols; k++) {
    let better = select(pred[base + k] > pred[base + best], targets[base + k] > targets[base + best], use_targets);
    if (better) { best = k; }
  }
  return best;
}

fn row_value(b: u32) -> f32 {
  let base = b * params.cols;
  switch params.kind {
    case 1u: { return select(0.0, 1.0, first_argmax(base, false) == first_argmax(base, true)); }
    case 2u: {
      let at = pred[base + first_argmax(base, true)];
      if (at != at) { return 0.0; } // NaN at the label: never in the top k
      var rank = 1u;
      for (var k = 0u; k < params.cols; k++) { rank += select(0u, 1u, pred[base + k] > at); }
      return select(0.0, 1.0, rank <= params.k);
    }
    default: {
      var s = 0.0;
      for (var k = 0u; k < params.cols; k++) {
        let p = pred[base + k];
        let t = targets[base + k];
        if (params.kind == 0u) { s += select(0.0, 1.0, select(0.0, 1.0, p > params.threshold) == t); }
        else if (params.kind == 3u) { s += abs(p - t); }
        else { s += (p - t) * (p - t); }
      }
      return s / f32(params.cols);
    }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var b = lid; b < params.rows; b += WG) { s += row_value(b); }
  sums[lid] = s;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { sums[lid] += sums[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { acc[params.slot] += sums[0]; }
}
