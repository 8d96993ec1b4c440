// Training-time noise (SpatialDropout2D, GaussianDropout, GaussianNoise), for both passes of the
// multiplicative kinds (forward: src = x, out = y; backward: src = dy, out = dx):
//   kind 0 spatial dropout:  out = src * (u(seed, step, unit) >= threshold ? scale : 0), one
//                            draw per sample and channel: unit = (i / per_sample) * channels + i % channels
//   kind 1 gaussian dropout: out = src * (1 + scale * z(i))
//   kind 2 gaussian noise:   out = src + scale * z(i)
// u is the counter-based uniform of shaders/dropout.wgsl (pcg_hash chained over seed, counter[0]
// and the index), mirrored by src/ops/reference/noise.ts; z is a standard normal by the polar
// method (below), also mirrored there, to float32 rounding.
// 1-D dispatch of ceil(n / WG) workgroups, folded into y when large (GpuRuntime.grid).
override WG: u32 = 256;

struct Params { n: u32, seed: u32, kind: u32, channels: u32, per_sample: u32, threshold: f32, scale: f32 }

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read> counter: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

fn pcg_hash(x: u32) -> u32 {
  let state = x * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn uniform01(stream: u32, index: u32) -> f32 {
  return f32(pcg_hash(stream ^ index) >> 8u) * (1.0 / 16777216.0);
}

// ln(s) for a normal positive s from + - * / only (the builtin log's error bound is too loose to
// match the CPU): s = m * 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh((m - 1) / (m + 1)).
fn ln(s: f32) -> f32 {
  let bits = bitcast<u32>(s);
  var e = i32((bits >> 23u) & 0xffu) - 127;
  var m = bitcast<f32>((bits & 0x7fffffu) | 0x3f800000u);
  if (m > 1.4142135) { m = m * 0.5; e = e + 1; }
  let t = (m - 1.0) / (m + 1.0);
  let t2 = t * t;
  let p = t2 * (0.33333334 + t2 * (0.2 + t2 * (0.14285715 + t2 * (0.11111111 + t2 * 0.09090909))));
  return f32(e) * 0.6931472 + 2.0 * t * (1.0 + p);
}

// A standard normal draw by Marsaglia's polar method: pairs (v1, v2) uniform in [-1, 1)^2 from
// the hash of (i, attempt) until 0 < s = v1^2 + v2^2 < 1 (16 attempts; all fail with p < 1e-10, z = 0).
fn normal(stream: u32, i: u32) -> f32 {
  let base = pcg_hash(stream ^ i);
  for (var k = 0u; k < 16u; k++) {
    let v1 = f32(pcg_hash(base + 2u * k) >> 8u) * (1.0 / 8388608.0) - 1.0;
    let v2 = f32(pcg_hash(base + 2u * k + 1u) >> 8u) * (1.0 / 8388608.0) - 1.0;
    let s = v1 * v1 + v2 * v2;
    if (s > 0.0 && s < 1.0) { return v1 * sqrt(-2.0 * ln(s) / s); }
  }
  return 0.0;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let stream = pcg_hash(pcg_hash(params.seed) ^ counter[0]);
  switch params.kind {
    case 0u: {
      let unit = (i / params.per_sample) * params.channels + i % params.channels;
      out[i] = select(0.0, src[i] * params.scale, uniform01(stream, unit) >= params.threshold);
    }
    case 1u: { out[i] = src[i] * (1.0 + params.scale * normal(stream, i)); }
    default: { out[i] = src[i] + params.scale * normal(stream, i); }
  }
}
