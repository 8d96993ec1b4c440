// A batch of labels from the dataset's label bytes kept on the GPU, 4 per u32 little-endian:
//   out[b] = byte(index[b]),  b < batch;  out and index are u32 [B]; an index >= count gives 0.
// 1-D dispatch of ceil(batch / WG) workgroups.
override WG: u32 = 256;

struct Params { batch: u32, count: u32 }

@group(0) @binding(0) var<storage, read> labels: array<u32>;
@group(0) @binding(1) var<storage, read> index: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let b = flat_index(wid, nwg, lid, WG);
  if (b >= params.batch) { return; }
  let i = index[b];
  if (i >= params.count) {
    out[b] = 0u;
    return;
  }
  out[b] = (labels[i >> 2u] >> ((i & 3u) * 8u)) & 0xffu;
}
