// activation.grad.wgsl four elements per invocation, for sizes that are a multiple of 4: vec4
// loads and stores, and relu (the common case) as one vector select instead of a switch per
// element (17 -> 10 ms on SwiftShader for the seed CNN's conv1 activation at batch 32).
// 1-D dispatch: rt.grid(n / 4, WG), folded into y when large.
override WG: u32 = 256;
// The activation (ACTIVATION_CODES) as a pipeline constant, so the compiler drops the other
// cases of activate(); the Params field of the same meaning is not read.
override ACT: u32 = 0u;

struct Params { n: u32, act: u32 }

@group(0) @binding(0) var<storage, read> dy: array<vec4f>;
@group(0) @binding(1) var<storage, read> y: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dx: array<vec4f>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n / 4u) { return; }
  let v = y[i];
  let g = dy[i];
  if (params.act == 1u) {
    dx[i] = select(vec4f(0.0), g, v > vec4f(0.0));
    return;
  }
  let a = ACT;
  dx[i] = g * vec4f(activation_grad(v.x, a), activation_grad(v.y, a), activation_grad(v.z, a), activation_grad(v.w, a));
}
