// Batch statistics of batch normalization: per channel c of x viewed as [rows, channels]
// (channels last, rows = N * H * W), mean[c] = sum_r x[r, c] / rows and the biased variance
// variance[c] = sum_r (x[r, c] - mean[c])^2 / rows (two passes, so no cancellation).
// Dispatch: one workgroup per channel (workgroup_id.x = c); its WG invocations stride over the
// rows, then a tree reduction in workgroup memory combines their partial sums.
override WG: u32 = 256;

struct Params { rows: u32, channels: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;               // [rows, channels]
@group(0) @binding(1) var<storage, read_write> mean: array<f32>;      // [channels]
@group(0) @binding(2) var<storage, read_write> variance: array<f32>;  // [channels]
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> partial: array<f32, WG>;

// The sum of every invocation's `value` (all WG invocations must call it).
fn workgroup_sum(lid: u32, value: f32) -> f32 {
  partial[lid] = value;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let c = wid.x;
  let n = params.rows;
  var s = 0.0;
  for (var r = lid; r < n; r += WG) { s += x[r * params.channels + c]; }
  let m = workgroup_sum(lid, s) / f32(n);
  var q = 0.0;
  for (var r = lid; r < n; r += WG) {
    let d = x[r * params.channels + c] - m;
    q += d * d;
  }
  let v = workgroup_sum(lid, q) / f32(n);
  if (lid == 0u) {
    mean[c] = m;
    variance[c] = v;
  }
}
