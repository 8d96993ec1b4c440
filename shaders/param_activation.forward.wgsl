// Keras's ReLU layer (negative_slope, max_value, threshold; LeakyReLU) and ELU layer (alpha),
// elementwise: y[i] = f(x[i]) as paramActivate in src/ops/reference/paramActivation.ts.
// kind 0: relu, y = clip(x > threshold ? x : 0, 0, max_value) - alpha * max(threshold - x, 0);
// kind 1: elu, y = x > 0 ? x : alpha * (exp(x) - 1). Any shape, flat over n; 1-D dispatch folded into y.
override WG: u32 = 256;

struct Params { n: u32, kind: u32, has_max: u32, alpha: f32, max_value: f32, threshold: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let v = x[i];
  if (params.kind == 1u) {
    y[i] = select(params.alpha * (exp(v) - 1.0), v, v > 0.0);
    return;
  }
  var a = select(0.0, v, v > params.threshold);
  if (params.has_max == 1u) { a = clamp(a, 0.0, params.max_value); }
  y[i] = a - params.alpha * max(params.threshold - v, 0.0);
}
