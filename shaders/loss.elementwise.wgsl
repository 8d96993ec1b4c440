// Keras losses that are a mean (kl_divergence: a sum) over the last axis of an elementwise term,
// per sample and its gradient wrt the prediction in one pass. Codes match ELEMENTWISE_LOSS_CODES
// in src/gpu/kernels/kerasLosses.ts:
//   0 binary_crossentropy on probabilities clipped to [EPS, 1 - EPS] (param: label smoothing)
//   1 binary_crossentropy from logits (param: label smoothing)   2 mean_squared_error
//   3 mean_absolute_error   4 mean_absolute_percentage_error   5 mean_squared_logarithmic_error
//   6 huber (param: delta)   7 log_cosh   8 kl_divergence   9 hinge (labels[0] != 0: map 0/1 to -1/1)
// Clips pass no gradient outside their range, as in Keras. pred, targets, grad [rows, cols];
// loss [rows] (unweighted); hinge_flag [1] (from loss.hinge_labels.wgsl; any buffer otherwise).
// Reduction sum_over_batch_size: the gradient carries weight / rows. One invocation per sample.
// Dispatch: rt.grid(rows, WG).
override WG: u32 = 64;
const EPS: f32 = 1e-7;
struct Params { rows: u32, cols: u32, weight: f32, kind: u32, param: f32 }

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<f32>;
@group(0) @binding(2) var<storage, read> hinge_flag: array<f32>;
@group(0) @binding(3) var<storage, read_write> loss: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

fn softplus(x: f32) -> f32 {
  return max(x, 0.0) + log(1.0 + exp(-abs(x)));
}

// The loss term and its derivative wrt the prediction p, for target t.
fn term(p: f32, t_raw: f32) -> vec2f {
  let s = params.param;
  switch params.kind {
    case 0u: {
      let t = t_raw * (1.0 - s) + 0.5 * s;
      let c = clamp(p, EPS, 1.0 - EPS);
      let inside = p >= EPS && p <= 1.0 - EPS;
      return vec2f(-(t * log(c) + (1.0 - t) * log(1.0 - c)), select(0.0, (c - t) / (c * (1.0 - c)), inside));
    }
    case 1u: {
      let t = t_raw * (1.0 - s) + 0.5 * s;
      return vec2f(softplus(p) - p * t, 1.0 / (1.0 + exp(-p)) - t);
    }
    case 2u: { return vec2f((p - t_raw) * (p - t_raw), 2.0 * (p - t_raw)); }
    case 3u: { return vec2f(abs(p - t_raw), sign(p - t_raw)); }
    case 4u: {
      let d = max(abs(t_raw), EPS);
      return vec2f(100.0 * abs(t_raw - p) / d, 100.0 * sign(p - t_raw) / d);
    }
    case 5u: {
      let d = log(max(p, EPS) + 1.0) - log(max(t_raw, EPS) + 1.0);
      return vec2f(d * d, select(0.0, 2.0 * d / (p + 1.0), p > EPS));
    }
    case 6u: {
      let e = p - t_raw;
      if (abs(e) <= s) { return vec2f(0.5 * e * e, e); }
      return vec2f(s * abs(e) - 0.5 * s * s, s * sign(e));
    }
    case 7u: {
      let x = p - t_raw;
      return vec2f(x + softplus(-2.0 * x) - log(2.0), tanh(x));
    }
    case 8u: {
      let c = clamp(p, EPS, 1.0);
      let q = clamp(t_raw, EPS, 1.0);
      return vec2f(q * log(q / c), select(0.0, -q / c, p >= EPS && p <= 1.0));
    }
    default: {
      let t = select(t_raw, 2.0 * t_raw - 1.0, hinge_flag[0] != 0.0);
      let m = 1.0 - t * p;
      return select(vec2f(0.0, 0.0), vec2f(m, -t), m > 0.0);
    }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let b = flat_index(wid, nwg, lid, WG);
  if (b >= params.rows) { return; }
  // kl_divergence sums over the last axis; the others average.
  let per = select(1.0 / f32(params.cols), 1.0, params.kind == 8u);
  let scale = per * params.weight / f32(params.rows);
  var s = 0.0;
  for (var i = b * params.cols; i < (b + 1u) * params.cols; i++) {
    let r = term(pred[i], targets[i]);
    s += r.x;
    grad[i] = r.y * scale;
  }
  loss[b] = s * per;
}
