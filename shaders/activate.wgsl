// Elementwise activation: y[i] = activate(x[i], kind), for an Activation layer (Dense and Conv2D
// fuse theirs). Any shape, flat over n elements; 1-D dispatch folded into y (GpuRuntime.grid).
override WG: u32 = 256;
// The activation (ACTIVATION_CODES) as a pipeline constant, so the compiler drops the other
// cases of activate(); the Params field of the same meaning is not read.
override ACT: u32 = 0u;

struct Params { n: u32, kind: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  y[i] = activate(x[i], ACT);
}
