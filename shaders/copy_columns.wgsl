// Copies a [rows, width] block between two row-major matrices with their own row lengths and
// column offsets: dst[r, dstCol + c] = src[r, srcCol + c]. Concatenate's forward (each input into
// its columns of the output) and backward (each input's columns of dOut back out) along the last axis.
// 1-D dispatch over rows * width, folded into y (GpuRuntime.grid).
override WG: u32 = 256;

struct Params {
  rows: u32,
  width: u32,
  src_row: u32,
  src_col: u32,
  dst_row: u32,
  dst_col: u32,
}

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.rows * params.width) { return; }
  let r = i / params.width;
  let c = i % params.width;
  dst[r * params.dst_row + params.dst_col + c] = src[r * params.src_row + params.src_col + c];
}
