// Row-wise softmax, numerically stable: y[r, k] = exp(x[r, k] - max_r) / sum_j exp(x[r, j] - max_r).
// x and y are [rows, cols] row-major (a Dense layer's [batch, units] output). The rows of a
// classifier are short (10..1000 classes), so one invocation owns one row and makes three passes
// over it. Dispatch: rt.grid(rows, WG), 1-D folded into y.
override WG: u32 = 64;

struct Params { rows: u32, cols: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;         // [rows, cols]
@group(0) @binding(1) var<storage, read_write> y: array<f32>;   // [rows, cols]
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = flat_index(wid, nwg, lid, WG);
  if (r >= params.rows) { return; }
  let base = r * params.cols;
  var m = x[base];
  for (var k = 1u; k < params.cols; k++) { m = max(m, x[base + k]); }
  var s = 0.0;
  for (var k = 0u; k < params.cols; k++) { s += exp(x[base + k] - m); }
  let inv = 1.0 / s;
  for (var k = 0u; k < params.cols; k++) { y[base + k] = exp(x[base + k] - m) * inv; }
}
