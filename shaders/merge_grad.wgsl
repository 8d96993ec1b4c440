// The gradient Maximum (kind 2) or Minimum (kind 3) sends to its input a:
// dx[i] = dy[i] * share, share = 1 where a wins (a > b, or a < b for minimum), 1/2 on a tie,
// 0 where b wins: ties split evenly as JAX's maximum/minimum do. b's gradient swaps a and b.
// 1-D dispatch of ceil(n / WG) workgroups, folded into y when large (GpuRuntime.grid).
override WG: u32 = 256;

struct Params { n: u32, kind: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let u = a[i];
  let v = b[i];
  let a_wins_max = u > v;
  let a_wins_min = u < v;
  let wins = select(a_wins_min, a_wins_max, params.kind == 2u);
  let share = select(select(0.0, 1.0, wins), 0.5, u == v);
  dx[i] = dy[i] * share;
}
