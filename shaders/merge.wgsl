// Elementwise merge of two equal-shaped tensors (Subtract, Multiply, Maximum, Minimum; Multiply's
// gradient too): y[i] = a[i] - b[i], a[i] * b[i], max(a[i], b[i]) or min(a[i], b[i]) for kind
// 0, 1, 2, 3 (MERGE_CODES in src/ops/reference/merge.ts), i < n.
// 1-D dispatch of ceil(n / WG) workgroups, folded into y when large (GpuRuntime.grid).
override WG: u32 = 256;

struct Params { n: u32, kind: u32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let u = a[i];
  let v = b[i];
  switch params.kind {
    case 0u: { y[i] = u - v; }
    case 1u: { y[i] = u * v; }
    case 2u: { y[i] = max(u, v); }
    default: { y[i] = min(u, v); }
  }
}
