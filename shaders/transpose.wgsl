// Axis permutation of a row-major tensor of rank <= 8: y[i] = x[src(i)], where i's multi-index
// over y's dims (dims[k], k < rank) meets x's strides taken in the permuted order
// (strides[k] = x's stride along perm[k]). Permute's forward and, with the inverse perm, its
// gradient. One thread per output element: writes are coalesced, reads follow the permutation.
// 1-D dispatch of ceil(n / WG) workgroups, folded into y when large (GpuRuntime.grid).
override WG: u32 = 256;

struct Params { n: u32, rank: u32, pad0: u32, pad1: u32, dims: array<vec4u, 2>, strides: array<vec4u, 2> }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  var rest = i;
  var src = 0u;
  for (var k = i32(params.rank) - 1; k >= 0; k--) {
    let dim = params.dims[k / 4][k % 4];
    src += (rest % dim) * params.strides[k / 4][k % 4];
    rest /= dim;
  }
  y[i] = x[src];
}
