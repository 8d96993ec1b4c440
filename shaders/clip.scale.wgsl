// Gradient clipping, pass 2 (Keras 3 base_optimizer._clip_gradients), in place on each chunk:
//   mode 1, clipnorm:  norm = sqrt(sum of the weight's partials);  g = g * clip / max(norm, clip)
//   mode 2, global_clipnorm: norm over all chunks;  g = g * (clip * min(1 / norm, 1 / clip))
//   mode 3, clipvalue: g = clamp(g, -clip, clip)
// chunks and partial as in clip.sumsq.wgsl. One workgroup per chunk (k = y * nx + x): the
// workgroup first adds the partials it needs in workgroup memory, then scales its chunk.
override WG: u32 = 256;

struct Params { chunk_count: u32, mode: u32, clip: f32 }

@group(0) @binding(0) var<storage, read_write> g: array<f32>;
@group(0) @binding(1) var<storage, read> chunks: array<vec4u>;
@group(0) @binding(2) var<storage, read> partial: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> sums: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let k = wid.y * nwg.x + wid.x;
  let inside = k < params.chunk_count;
  var c = vec4u(0u);
  if (inside) { c = chunks[k]; }
  // The partials to add: this weight's (mode 1) or all (mode 2); none for clipvalue.
  var lo = c.z;
  var hi = c.z + c.w;
  if (params.mode == 2u) { lo = 0u; hi = params.chunk_count; }
  if (params.mode == 3u) { hi = lo; }
  var sum = 0.0;
  for (var j = lo + lid; j < hi; j += WG) { sum += partial[j]; }
  sums[lid] = sum;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) { sums[lid] += sums[lid + half]; }
    workgroupBarrier();
  }
  if (!inside) { return; }
  let norm = sqrt(sums[0]);
  let clip = params.clip;
  let global_scale = clip * min(1.0 / norm, 1.0 / clip);
  for (var i = c.x + lid; i < c.y; i += WG) {
    let v = g[i];
    if (params.mode == 1u) {
      g[i] = (v * clip) / max(norm, clip);
    } else if (params.mode == 2u) {
      g[i] = v * global_scale;
    } else {
      g[i] = clamp(v, -clip, clip);
    }
  }
}
