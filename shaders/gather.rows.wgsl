// A batch of rows from a data set kept on the GPU as 32-bit words (float32 features or uint32
// labels, copied bit for bit): out[b, j] = data[index[b] * width + j] for b < batch, j < width.
// An index >= count gives zeros. 1-D dispatch over batch * width, folded into y (GpuRuntime.grid).
override WG: u32 = 256;

struct Params { batch: u32, width: u32, count: u32 }

@group(0) @binding(0) var<storage, read> data: array<u32>;
@group(0) @binding(1) var<storage, read> index: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let o = flat_index(wid, nwg, lid, WG);
  if (o >= params.batch * params.width) { return; }
  let b = o / params.width;
  let row = index[b];
  out[o] = select(0u, data[row * params.width + o % params.width], row < params.count);
}
