// Backward of an elementwise activation, from its output: dx[i] = dy[i] * activation_grad(y[i], act)
// (act is an `activate` code; relu'(0) = 0; for gelu and silu `y` holds the input x). Used where the activation was not fused into the loss.
// 1-D dispatch: rt.grid(n, WG), folded into y when large.
override WG: u32 = 256;
// The activation (ACTIVATION_CODES) as a pipeline constant, so the compiler drops the other
// cases of activate(); the Params field of the same meaning is not read.
override ACT: u32 = 0u;

struct Params { n: u32, act: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  dx[i] = dy[i] * activation_grad(y[i], ACT);
}
