// Backward of param_activation.forward.wgsl from its input: dx[i] = dy[i] * f'(x[i]), as
// paramActivationSlope in src/ops/reference/paramActivation.ts (0 on the upper side of a kink).
// Any shape, flat over n; 1-D dispatch folded into y.
override WG: u32 = 256;

struct Params { n: u32, kind: u32, has_max: u32, alpha: f32, max_value: f32, threshold: f32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let v = x[i];
  var slope: f32;
  if (params.kind == 1u) {
    slope = select(params.alpha * exp(v), 1.0, v > 0.0);
  } else if (v > params.threshold) {
    slope = select(1.0, 0.0, params.has_max == 1u && v >= params.max_value);
  } else {
    slope = select(0.0, params.alpha, v < params.threshold);
  }
  dx[i] = dy[i] * slope;
}
