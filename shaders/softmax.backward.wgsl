// Backward of a row-wise softmax, from its output: dx[r, k] = y[r, k] * (dy[r, k] - sum_j dy[r, j] y[r, j]).
// dy, y and dx are [rows, cols] row-major. As in softmax.forward.wgsl one invocation owns one row
// (rows are short: classes or features) and makes two passes over it. Dispatch: rt.grid(rows, WG),
// 1-D folded into y.
override WG: u32 = 64;

struct Params { rows: u32, cols: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;        // [rows, cols]
@group(0) @binding(1) var<storage, read> y: array<f32>;         // [rows, cols]
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;  // [rows, cols]
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = flat_index(wid, nwg, lid, WG);
  if (r >= params.rows) { return; }
  let base = r * params.cols;
  var s = 0.0;
  for (var k = 0u; k < params.cols; k++) { s += dy[base + k] * y[base + k]; }
  for (var k = 0u; k < params.cols; k++) { dx[base + k] = y[base + k] * (dy[base + k] - s); }
}
