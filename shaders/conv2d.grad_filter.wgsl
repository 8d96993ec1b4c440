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
  let m_total = p.k_h * p.k_w * p.cin;
  let col_blocks = (p.cout + 3u) / 4u;
  let m_blocks = (m_total + 3u) / 4u;
  let split = t / (col_blocks * m_blocks);
  if (split >= p.splits) { return; }
  let m0 = ((t / col_blocks) % m_blocks) * 4u;
  let co0 = (t % col_blocks) * 4u;
  // Lanes past the ends read the last row/channel; they are never written.
  let co = min(vec4u(co0, co0 + 1u, co0 + 2u, co0 + 3u), vec4u(p.cout - 1u));

  // Each filter row's tap offset (relative to a window's top-left corner) and input channel.
  var tap_y: array<i32, 4>;
  var tap_x: array<i32, 4>;
  var ci: array<u32, 4>;
  for (var j = 0u; j < 4u; j++) {
    let m = min(m0 + j, m_total - 1u);
    ci[j] = m % p.cin;
    tap_x[j] = i32((m / p.cin) % p.k_w) - i32(p.pad_left);
    tap_y[j] = i32(m / (p.cin * p.k_w)) - i32(p.pad_top);
  }

  let rows = p.batch * p.out_h * p.out_w;
  let r_begin = split * p.chunk;
  let r_end = min(r_begin + p.chunk, rows);
  var ox = r_begin % p.out_w;
  var oy = (r_begin / p.out_w) % p.out_h;
  var n = r_begin / (p.out_w * p.out_h);
  var acc: array<vec4f, 4>;
  for (var r = r_begin; r < r_end; r++) {
    let g = r * p.cout;
    let d = vec4f(dy[g + co.x], dy[g + co.y], dy[g + co.z], dy[g + co.w]);
    let cy = i32(oy * p.stride_h);
    let cx = i32(ox * p.stride_w);
    for (var j = 0u; j < 4u; j++) {
      let iy = cy + tap_y[j];
      let ix = cx + tap_x[j];
      if (iy >= 0 && iy < i32(p.in_h) && ix >= 0 && ix < i32(p.in_w)) {
        acc[j] += x[((n * p.in_h + u32(iy)) * p.in_w + u32(ix)) * p.cin + ci[j]] * d;
      }
    }
    ox += 1u;
    if (ox == p.out_w) {
      ox = 0u;
      oy += 1u;
      if (oy == p.out_h) { oy = 0u; n += 1u; }
    }
  }

  let out = split * m_total * p.cout;
  for (var j = 0u; j < 4u && m0 + j < m_total; j++) {
    for (var l = 0u; l < 4u && co0 + l < p.cout; l++) {
      partials[out + (m0 + j) * p.cout + co0 + l] = acc[j][l];
    }
  }
}
