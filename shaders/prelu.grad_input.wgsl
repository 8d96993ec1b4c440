// PReLU's input gradient: dx[i] = dy[i] * (x[i] > 0 ? 1 : alpha[a(i)]), alpha indexed as in
// prelu.forward.wgsl. One invocation per element; 1-D dispatch folded into y.
override WG: u32 = 256;

struct Params {
  n: u32, feat: u32, rank: u32, alpha_size: u32, batch: u32, shared_count: u32, pad0: u32, pad1: u32,
  dims: array<vec4u, 2>,
  astrides: array<vec4u, 2>,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> alpha: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  dx[i] = select(dy[i] * alpha[prelu_alpha_index(i % params.feat)], dy[i], x[i] > 0.0);
}

fn prelu_alpha_index(feature: u32) -> u32 {
  var f = feature;
  var a = 0u;
  for (var j = i32(params.rank) - 1; j >= 0; j--) {
    let d = params.dims[j / 4][j % 4];
    a += (f % d) * params.astrides[j / 4][j % 4];
    f /= d;
  }
  return a;
}
