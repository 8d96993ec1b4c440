// Sparse top-k categorical accuracy without readback: acc[slot] += number of rows b whose label
// is in the top k of pred[b, :], as Keras's in_top_k decides it: the label's rank, 1 + the number
// of predictions strictly greater than pred[b, label], is at most k (ties all count as in; a NaN
// prediction at the label never does). pred [rows, cols] f32; labels u32 [rows]; acc [slots] f32.
// Dispatch: exactly one workgroup ([1, 1, 1]); u32 counts reduced as a tree in workgroup memory.
override WG: u32 = 256;

struct Params { rows: u32, cols: u32, slot: u32, k: u32 }

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
    let at = pred[base + labels[b]];
    var rank = 1u;
    for (var k = 0u; k < params.cols; k++) { rank += select(0u, 1u, pred[base + k] > at); }
    correct += select(0u, 1u, rank <= params.k && at == at);
  }
  counts[lid] = correct;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { counts[lid] += counts[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { acc[params.slot] += f32(counts[0]); }
}
