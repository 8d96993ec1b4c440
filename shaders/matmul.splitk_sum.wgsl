// Split-K matmul, pass 2: C[i] = act(sum over s of partials[s, i] + bias[i % N]).
//   partials [splits, M, N]   from matmul.splitk.wgsl
//   bias     [N]              (any buffer when has_bias is 0)
//   c        [M, N]
// Dispatch: 1-D over M*N invocations (consecutive i read consecutive floats), folded into y by
// GpuRuntime.grid.
override WG: u32 = 256;
// The activation as a pipeline constant, as in matmul.splitk.wgsl; the Params field is unread.
override ACT: u32 = 0u;

struct Params { size: u32, n: u32, splits: u32, act: u32, has_bias: u32 }

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= p.size) { return; }
  var s = 0.0;
  for (var k = 0u; k < p.splits; k++) {
    s += partials[k * p.size + i];
  }
  if (p.has_bias != 0u) { s += bias[i % p.n]; }
  c[i] = activate(s, ACT);
}
