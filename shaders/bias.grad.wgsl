// Bias gradient as a column sum: out[chunk, c] = sum of dy[r, c] over the rows r of one chunk.
// dy is any tensor viewed as [rows, cols] (row-major, cols = channels, the last axis).
// The wrapper applies this kernel repeatedly: rows -> ceil(rows / chunk_rows) partial rows ->
// ... -> 1 row (= db), so no float atomics are needed and every pass is parallel.
// Each invocation sums one column over one chunk in a register: no workgroup memory or barriers
// (a workgroup tree reduction was ~8x slower on SwiftShader, which runs barriers as coroutine
// switches); consecutive invocations read consecutive columns of a row (coalesced on GPUs).
//
// Dispatch: 1-D over chunks * cols invocations (column fastest), folded into y by GpuRuntime.grid.
override WG: u32 = 64;

struct Params { rows: u32, cols: u32, chunk_rows: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;         // [rows, cols]
@group(0) @binding(1) var<storage, read_write> out: array<f32>;  // [chunks, cols]
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let chunk = t / params.cols;
  let col = t - chunk * params.cols;
  let row_start = chunk * params.chunk_rows;
  if (row_start >= params.rows) { return; }
  let row_end = min(row_start + params.chunk_rows, params.rows);
  var i = row_start * params.cols + col;
  var s = 0.0;
  for (var r = row_start; r < row_end; r++) {
    s += dy[i];
    i += params.cols;
  }
  out[t] = s;
}
