// Adds a per-channel bias in place: y[i] += bias[i % channels], for i < n (Conv2DTranspose's bias,
// after the conv2d input-gradient kernel wrote y). 1-D dispatch, folded by GpuRuntime.grid.
override WG: u32 = 256;

struct Params { n: u32, channels: u32 }

@group(0) @binding(0) var<storage, read> bias: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= p.n) { return; }
  y[i] = y[i] + bias[i % p.channels];
}
