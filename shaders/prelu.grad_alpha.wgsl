// PReLU's alpha gradient: dalpha[a] = sum of dy * x over the elements with x <= 0 that alpha[a]
// scales. One invocation per alpha element (consecutive invocations read consecutive features of
// a sample): it fixes the feature coordinates of the non-shared axes from a, and loops over the
// batch and every coordinate of the shared axes (shared_count combinations per sample).
// 1-D dispatch over alpha_size, folded into y.
override WG: u32 = 64;

struct Params {
  n: u32, feat: u32, rank: u32, alpha_size: u32, batch: u32, shared_count: u32, pad0: u32, pad1: u32,
  dims: array<vec4u, 2>,
  astrides: array<vec4u, 2>,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dalpha: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let a = flat_index(wid, nwg, lid, WG);
  if (a >= params.alpha_size) { return; }
  var sum = 0.0;
  for (var n = 0u; n < params.batch; n++) {
    for (var s = 0u; s < params.shared_count; s++) {
      // Feature index: a's coordinate on each non-shared axis, s's on the shared ones (row-major).
      var rest = s;
      var f = 0u;
      var stride = 1u;
      for (var j = i32(params.rank) - 1; j >= 0; j--) {
        let d = params.dims[j / 4][j % 4];
        let astride = params.astrides[j / 4][j % 4];
        var c: u32;
        if (astride == 0u) {
          c = rest % d;
          rest /= d;
        } else {
          c = (a / astride) % d;
        }
        f += c * stride;
        stride *= d;
      }
      let i = n * params.feat + f;
      let v = x[i];
      if (!(v > 0.0)) { sum += dy[i] * v; }
    }
  }
  dalpha[a] = sum;
}
