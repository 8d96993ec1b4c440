// A batch of images from a dataset kept on the GPU as bytes, 4 per u32 little-endian:
//   out[b, p] = f32(byte(index[b] * image_bytes + p)) / 255,  b < batch, p < image_bytes
// out is [B, H, W, C] float32 (e.g. [B, 28, 28, 1] with image_bytes 784); index is u32 [B];
// an index >= count writes zeros instead of reading past the set. One invocation per output
// element, 1-D dispatch of ceil(batch * image_bytes / WG) workgroups, folded into y when large.
override WG: u32 = 256;

struct Params { batch: u32, image_bytes: u32, count: u32 }

@group(0) @binding(0) var<storage, read> bytes: array<u32>;
@group(0) @binding(1) var<storage, read> index: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let o = flat_index(wid, nwg, lid, WG);
  if (o >= params.batch * params.image_bytes) { return; }
  let b = o / params.image_bytes;
  let p = o - b * params.image_bytes;
  let image = index[b];
  if (image >= params.count) {
    out[o] = 0.0;
    return;
  }
  let at = image * params.image_bytes + p;
  let byte = (bytes[at >> 2u] >> ((at & 3u) * 8u)) & 0xffu;
  out[o] = f32(byte) / 255.0;
}
