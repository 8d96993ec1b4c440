// Bias gradient as a column sum: out[chunk, c] = sum of dy[r, c] over the rows r of one chunk.
// dy is any tensor viewed as [rows, cols] (row-major, cols = channels, the last axis).
// The wrapper applies this kernel repeatedly: rows -> ceil(rows / chunk_rows) partial rows ->
// ... -> 1 row (= db), so no float atomics are needed and every pass is parallel.
//
// Dispatch: x = ceil(cols / group_cols) column blocks, y = number of row chunks.
// A workgroup of WG invocations is split into group_cols columns (consecutive invocations read
// consecutive columns of a row: coalesced) times lanes = WG / group_cols row lanes; each lane sums
// rows lane, lane + lanes, ... of its chunk, then the lanes are reduced as a tree in workgroup
// memory. group_cols is a power of two dividing WG.
override WG: u32 = 256;

struct Params { rows: u32, cols: u32, group_cols: u32, chunk_rows: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;         // [rows, cols]
@group(0) @binding(1) var<storage, read_write> out: array<f32>;  // [chunks, cols]
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> sums: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let gc = params.group_cols;
  let lanes = WG / gc;
  let col = wid.x * gc + lid % gc;
  let lane = lid / gc;
  let row_start = wid.y * params.chunk_rows;
  let row_end = min(row_start + params.chunk_rows, params.rows);
  var s = 0.0;
  if (col < params.cols) {
    for (var r = row_start + lane; r < row_end; r += lanes) {
      s += dy[r * params.cols + col];
    }
  }
  sums[lid] = s;
  workgroupBarrier();
  for (var stride = lanes / 2u; stride > 0u; stride /= 2u) {
    if (lane < stride) {
      sums[lid] += sums[lid + stride * gc];
    }
    workgroupBarrier();
  }
  if (lane == 0u && col < params.cols) {
    out[wid.y * params.cols + col] = sums[lid];
  }
}
