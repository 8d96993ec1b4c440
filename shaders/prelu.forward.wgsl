// PReLU: y[i] = x[i] > 0 ? x[i] : alpha[a(i)] * x[i], x [batch, ...features] flat over n, alpha
// broadcast over the batch and shared axes: a(i) sums each feature coordinate times alpha's stride
// on that axis (0 on shared axes), as alphaIndex in src/ops/reference/prelu.ts. Rank <= 8.
// One invocation per element; 1-D dispatch folded into y.
override WG: u32 = 256;

struct Params {
  n: u32, feat: u32, rank: u32, alpha_size: u32, batch: u32, shared_count: u32, pad0: u32, pad1: u32,
  dims: array<vec4u, 2>,      // feature dims, axis j at dims[j / 4][j % 4]
  astrides: array<vec4u, 2>,  // alpha's stride per feature axis (0: shared)
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> alpha: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let v = x[i];
  y[i] = select(alpha[prelu_alpha_index(i % params.feat)] * v, v, v > 0.0);
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
