// dx of normalize, for dy, x viewed as [rows, channels], c = i % channels, factor =
// inv_std(variance[c]) * gamma[c] (gamma read as 1 when has_gamma is 0):
// fixed statistics (batch_stats 0): dx = dy * factor;
// batch statistics (batch_stats 1; mean and variance are x's own): the exact gradient through them,
// dx = factor * (dy - (sums[0, c] + xhat * sums[1, c]) / rows), xhat = (x - mean[c]) * inv_std.
// Unused bindings are bound to another tensor. One invocation per element: rt.grid(n, WG).
override WG: u32 = 256;

struct Params { n: u32, channels: u32, epsilon: f32, floor: u32, has_gamma: u32, batch_stats: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;        // [rows, channels]
@group(0) @binding(1) var<storage, read> x: array<f32>;         // [rows, channels]
@group(0) @binding(2) var<storage, read> mean: array<f32>;      // [channels]
@group(0) @binding(3) var<storage, read> variance: array<f32>;  // [channels]
@group(0) @binding(4) var<storage, read> gamma: array<f32>;     // [channels]
@group(0) @binding(5) var<storage, read> sums: array<f32>;      // [2, channels]
@group(0) @binding(6) var<storage, read_write> dx: array<f32>;  // [rows, channels]
@group(0) @binding(7) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let c = i % params.channels;
  let rstd = inv_std(variance[c], params.epsilon, params.floor);
  var factor = rstd;
  if (params.has_gamma != 0u) { factor *= gamma[c]; }
  if (params.batch_stats == 0u) {
    dx[i] = dy[i] * factor;
    return;
  }
  let rows = f32(params.n / params.channels);
  let xhat = (x[i] - mean[c]) * rstd;
  dx[i] = factor * (dy[i] - (sums[c] + xhat * sums[params.channels + c]) / rows);
}
