// A weight constraint, in place after an update: one invocation per group (the weight's index
// over the axes the norm does not run over), which sums its squares over the norm's axes, then
// scales them (kind 0 MaxNorm, 1 UnitNorm, 2 MinMaxNorm; 3 NonNeg: max(w, 0), groups of one).
// Up to 4 axes each side: kept_dims/red_dims are the group's and the norm's axes sizes (row
// major, padded with 1) and *_strides their element strides in w. Dispatch ceil(groups / WG).
override WG: u32 = 64;

struct Params {
  kept_dims: vec4u, kept_strides: vec4u, red_dims: vec4u, red_strides: vec4u,
  groups: u32, reduce: u32, kind: u32, _pad: u32,
  min_value: f32, max_value: f32, rate: f32, eps: f32,
}

@group(0) @binding(0) var<storage, read_write> w: array<f32>;
@group(0) @binding(1) var<uniform> params: Params;

// Element offset of the r-th element of the norm's axes, or of group g.
fn decompose(index: u32, dims: vec4u, strides: vec4u) -> u32 {
  var rest = index;
  var at = 0u;
  for (var a = 3; a >= 0; a--) {
    at += (rest % dims[a]) * strides[a];
    rest /= dims[a];
  }
  return at;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g = flat_index(wid, nwg, lid, WG);
  if (g >= params.groups) { return; }
  let base = decompose(g, params.kept_dims, params.kept_strides);
  if (params.kind == 3u) {
    w[base] = max(w[base], 0.0);
    return;
  }
  var squares = 0.0;
  for (var r = 0u; r < params.reduce; r++) {
    let v = w[base + decompose(r, params.red_dims, params.red_strides)];
    squares += v * v;
  }
  let norm = sqrt(squares);
  var desired = norm;
  if (params.kind == 0u) { desired = clamp(norm, 0.0, params.max_value); }
  if (params.kind == 1u) { desired = 1.0; }
  if (params.kind == 2u) { desired = params.rate * clamp(norm, params.min_value, params.max_value) + (1.0 - params.rate) * norm; }
  let factor = desired / (params.eps + norm);
  for (var r = 0u; r < params.reduce; r++) {
    let at = base + decompose(r, params.red_dims, params.red_strides);
    w[at] = w[at] * factor;
  }
}
