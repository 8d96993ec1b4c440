// Elementwise affine map: y[i] = x[i] * scale + offset, for i < n (Keras's Rescaling; with
// offset 0 also its gradient). 1-D dispatch of ceil(n / WG) workgroups, folded into y when large.
override WG: u32 = 256;

struct Params { n: u32, scale: f32, offset: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let scaled = x[i] * params.scale;
  y[i] = scaled + params.offset;
}
