// Conv2D filter gradient, split-K pass 1: partial sums of x-patch (outer) dy over chunks of rows.
//   x        [N, H, W, inC]
//   dy       [N, outH, outW, outC]  (gradient after any fused activation has been applied)
//   partials [splits, kH*kW*inC, outC]  summed over splits by conv2d.grad_filter_sum.wgsl
// GEMM view: dkernel [M = kH*kW*inC, outC] = patches^T [M, rows] * dy [rows, outC], with
// rows = N*outH*outW (up to ~200k), split into `splits` chunks of `chunk` rows so that many
// invocations share the long reduction. Each invocation owns 4 filter rows (m = (ky, kx, ci),
// ci fastest) x 4 output channels for one chunk, in 4 vec4 accumulators: per row it loads 4
// inputs and one vec4 of dy (16 FMAs), stepping (n, oy, ox) without divisions.
// Dispatch: 1-D over splits * ceil(M / 4) * ceil(outC / 4) invocations (channel block fastest,
// then filter-row block, then split), folded into y by GpuRuntime.grid.
override WG: u32 = 64;

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32, chunk: u32, splits: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let m_total = K_H * K_W * CIN;
  let col_blocks = (COUT + 3u) / 4u;
  let m_blocks = (m_total + 3u) / 4u;
  let split = t / (col_blocks * m_blocks);
  if (split >= p.splits) { return; }
  let m0 = ((t / col_blocks) % m_blocks) * 4u;
  let co0 = (t % col_blocks) * 4u;
  // Lanes past the ends read the last row/channel; they are never written.
  let co = min(vec4u(co0, co0 + 1u, co0 + 2u, co0 + 3u), vec4u(COUT - 1u));

  // Each filter row's tap offset (relative to a window's top-left corner) and input channel,
  // one row per lane. Plain vectors, not arrays: SwiftShader spills dynamically indexed arrays.
  let m = min(vec4u(m0) + vec4u(0u, 1u, 2u, 3u), vec4u(m_total - 1u));
  let ci = m % CIN;
  let tap_x = vec4i((m / CIN) % K_W) - i32(PAD_LEFT);
  let tap_y = vec4i(m / (CIN * K_W)) - i32(PAD_TOP);
  let in_h = vec4i(i32(IN_H));
  let in_w = vec4i(i32(IN_W));

  let rows = p.batch * OUT_H * OUT_W;
  let r_begin = split * p.chunk;
  let r_end = min(r_begin + p.chunk, rows);
  var ox = r_begin % OUT_W;
  var oy = (r_begin / OUT_W) % OUT_H;
  var n = r_begin / (OUT_W * OUT_H);
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var r = r_begin; r < r_end; r++) {
    let g = r * COUT;
    let d = vec4f(dy[g + co.x], dy[g + co.y], dy[g + co.z], dy[g + co.w]);
    let iy = i32(oy * STRIDE_H) + tap_y;
    let ix = i32(ox * STRIDE_W) + tap_x;
    let inside = (iy >= vec4i(0)) & (iy < in_h) & (ix >= vec4i(0)) & (ix < in_w);
    let i = select(vec4u(0u), ((n * IN_H + vec4u(iy)) * IN_W + vec4u(ix)) * CIN + ci, inside);
    let xv = select(vec4f(0.0), vec4f(x[i.x], x[i.y], x[i.z], x[i.w]), inside);
    acc0 += xv.x * d;
    acc1 += xv.y * d;
    acc2 += xv.z * d;
    acc3 += xv.w * d;
    ox += 1u;
    if (ox == OUT_W) {
      ox = 0u;
      oy += 1u;
      if (oy == OUT_H) { oy = 0u; n += 1u; }
    }
  }

  let out = split * m_total * COUT;
  store(out, m0, co0, acc0);
  store(out, m0 + 1u, co0, acc1);
  store(out, m0 + 2u, co0, acc2);
  store(out, m0 + 3u, co0, acc3);
}

// Writes v to filter row m's partial sums, channels co0.. (those that exist).
fn store(out: u32, m: u32, co0: u32, v: vec4f) {
  if (m >= K_H * K_W * CIN) { return; }
  for (var l = 0u; l < 4u && co0 + l < COUT; l++) {
    partials[out + m * COUT + co0 + l] = v[l];
  }
}
