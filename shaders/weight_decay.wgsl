// Decoupled weight decay (Keras 3 base_optimizer._apply_weight_decay), before the update:
//   w -= w * weight_decay * lr, on the trainable weights only.
// chunks as in clip.sumsq.wgsl (start, end, ...); one workgroup per chunk (k = y * nx + x),
// threads striding by WG.
override WG: u32 = 256;

struct Params { chunk_count: u32, weight_decay: f32, lr: f32 }

@group(0) @binding(0) var<storage, read_write> w: array<f32>;
@group(0) @binding(1) var<storage, read> chunks: array<vec4u>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let k = wid.y * nwg.x + wid.x;
  if (k >= params.chunk_count) { return; }
  let c = chunks[k];
  for (var i = c.x + lid; i < c.y; i += WG) { w[i] = w[i] - (w[i] * params.weight_decay) * params.lr; }
}
