// The per-channel sums of normalize's gradient: for x and dy viewed as [rows, channels],
// sums[0, c] = sum_r dy[r, c] (dbeta) and sums[1, c] = sum_r dy[r, c] * xhat[r, c] (dgamma), with
// xhat = (x - mean[c]) * inv_std(variance[c]). The batch-statistics terms of dx read them too.
// Dispatch: one workgroup per channel (workgroup_id.x = c); its WG invocations stride over the
// rows, then a tree reduction in workgroup memory combines both partial sums.
override WG: u32 = 256;

struct Params { rows: u32, channels: u32, epsilon: f32, floor: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;          // [rows, channels]
@group(0) @binding(1) var<storage, read> x: array<f32>;           // [rows, channels]
@group(0) @binding(2) var<storage, read> mean: array<f32>;        // [channels]
@group(0) @binding(3) var<storage, read> variance: array<f32>;    // [channels]
@group(0) @binding(4) var<storage, read_write> sums: array<f32>;  // [2, channels]
@group(0) @binding(5) var<uniform> params: Params;

var<workgroup> partial: array<vec2f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let c = wid.x;
  let m = mean[c];
  let rstd = inv_std(variance[c], params.epsilon, params.floor);
  var s = vec2f(0.0);
  for (var r = lid; r < params.rows; r += WG) {
    let i = r * params.channels + c;
    s += vec2f(dy[i], dy[i] * (x[i] - m) * rstd);
  }
  partial[lid] = s;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    sums[c] = partial[0].x;
    sums[params.channels + c] = partial[0].y;
  }
}
