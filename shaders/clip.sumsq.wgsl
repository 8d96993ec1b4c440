// Gradient clipping, pass 1: the sum of squares of each chunk of the packed gradient.
//   chunks[k] = (start, end, first chunk of its weight, chunk count of its weight): the trainable
//   weights cut into chunks of at most CHUNK elements (src/gpu/kernels/gradientClip.ts).
//   partial[k] = sum over start <= i < end of g[i]^2
// One workgroup per chunk (k = y * nx + x), each thread striding by WG so reads coalesce, then a
// tree reduction in workgroup memory.
override WG: u32 = 256;

struct Params { chunk_count: u32 }

@group(0) @binding(0) var<storage, read> g: array<f32>;
@group(0) @binding(1) var<storage, read> chunks: array<vec4u>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> sums: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let k = wid.y * nwg.x + wid.x;
  var sum = 0.0;
  if (k < params.chunk_count) {
    let c = chunks[k];
    for (var i = c.x + lid; i < c.y; i += WG) { sum += g[i] * g[i]; }
  }
  sums[lid] = sum;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) { sums[lid] += sums[lid + half]; }
    workgroupBarrier();
  }
  if (lid == 0u && k < params.chunk_count) { partial[k] = sums[0]; }
}
