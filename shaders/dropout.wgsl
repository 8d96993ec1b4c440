// Inverted dropout, used for both passes (Keras `Dropout` in training):
//   forward:  out = x,  src = layer input;     backward: out = dx, src = dy.
//   out[i] = src[i] * scale  if u(seed, step, i) >= rate,  else 0,   for i < n.
// u is a counter-based uniform in [0, 1) (24 bits) from three chained PCG hashes of
// (seed, step, i), mirrored bit-for-bit by src/ops/reference/random.ts, so backward recomputes
// forward's mask instead of storing it. `step` is read from counter[0] (the optimizer's
// `iterations`), so a recorded training step replays with a fresh mask and no uniform writes.
// scale = f32(1 / (1 - rate)) computed on the CPU. Any layout: elementwise over n elements.
// 1-D dispatch of ceil(n / WG) workgroups, folded into y when large (GpuRuntime.grid).
override WG: u32 = 256;

struct Params { n: u32, seed: u32, rate: f32, scale: f32 }

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read> counter: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

fn pcg_hash(x: u32) -> u32 {
  let state = x * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let stream = pcg_hash(pcg_hash(params.seed) ^ counter[0]);
  let u = f32(pcg_hash(stream ^ i) >> 8u) * (1.0 / 16777216.0);
  out[i] = select(0.0, src[i] * params.scale, u >= params.rate);
}
