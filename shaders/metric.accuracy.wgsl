// Sparse categorical accuracy without readback: acc[slot] += number of rows b whose argmax of
// pred[b, :] equals labels[b]. The first maximum wins ties (the lowest class index), as numpy's
// and TensorFlow's argmax do. pred [rows, cols] f32 (probabilities or logits); labels u32 [rows];
// acc [slots] f32: counts are integers, exact while a slot stays below 2^24.
// Dispatch: exactly one workgroup ([1, 1, 1]); u32 counts reduced as a tree in workgroup memory.
override WG: u32 = 256;

struct Params { rows: u32, cols: u32, slot: u32 }

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<u32>;
@group(0) @binding(2) var<storage, read_write> acc: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> counts: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var correct = 0u;
  for (var b = lid; b < params.rows; b += WG) {
    let base = b * params.cols;
    var best = 0u;
    for (var k = 1u; k < params.cols; k++) {
      if (pred[base + k] > pred[base + best]) { best = k; }
    }
    correct += select(0u, 1u, best == labels[b]);
  }
  counts[lid] = correct;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { counts[lid] += counts[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { acc[params.slot] += f32(counts[0]); }
}
