// Conv2D input gradient, gather form (no atomics): each dx element sums dy over the output
// positions whose window covers it, times the weight of the tap that connects them.
//   dy     [N, outH, outW, outC]  (gradient after any fused activation has been applied)
//   kernel [kH, kW, inC, outC]
//   dx     [N, H, W, inC]
// GEMM view: rows = N*H*W input pixels, cols = inC, reduction = kH*kW*outC. Input pixel (iy, ix) is
// reached by tap (ky, kx) from output (oy, ox) when oy*strideH + ky - padTop = iy, i.e. when
// iy + padTop - ky is a non-negative multiple of strideH with quotient < outH (same along x).
// Each invocation owns 4 consecutive input pixels x 4 input channels in 4 vec4 accumulators.
// Dispatch: 1-D over ceil(rows / 4) * ceil(inC / 4) invocations, channel block fastest, folded
// into y by GpuRuntime.grid.
override WG: u32 = 64;

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> kernel: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let col_blocks = (CIN + 3u) / 4u;
  let rows = p.batch * IN_H * IN_W;
  let row0 = (t / col_blocks) * 4u;
  let ci0 = (t % col_blocks) * 4u;
  if (row0 >= rows) { return; }
  // Channels past inC read the last one; they are never written.
  let ci = min(vec4u(ci0, ci0 + 1u, ci0 + 2u, ci0 + 3u), vec4u(CIN - 1u));

  // Each input pixel's coordinates, one pixel per lane (rows past the end repeat the last pixel).
  // Plain vectors, not arrays: SwiftShader spills dynamically indexed arrays.
  let r = min(vec4u(row0) + vec4u(0u, 1u, 2u, 3u), vec4u(rows - 1u));
  let n = r / (IN_H * IN_W);
  let ty0 = vec4i(((r / IN_W) % IN_H) + PAD_TOP);
  let tx0 = vec4i((r % IN_W) + PAD_LEFT);
  let sh = vec4i(i32(STRIDE_H));
  let sw = vec4i(i32(STRIDE_W));

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var ky = 0u; ky < K_H; ky++) {
    // Output row oy = (iy + padTop - ky) / strideH reaches iy through tap ky when exact and in range.
    let ty = ty0 - i32(ky);
    let oy = ty / sh;
    let row_hit = (ty >= vec4i(0)) & (ty % sh == vec4i(0)) & (oy < vec4i(i32(OUT_H)));
    for (var kx = 0u; kx < K_W; kx++) {
      let tx = tx0 - i32(kx);
      let ox = tx / sw;
      let hit = row_hit & (tx >= vec4i(0)) & (tx % sw == vec4i(0)) & (ox < vec4i(i32(OUT_W)));
      if (!any(hit)) { continue; }
      let base = select(vec4u(0u), ((n * OUT_H + vec4u(oy)) * OUT_W + vec4u(ox)) * COUT, hit);
      let mask = select(vec4f(0.0), vec4f(1.0), hit);
      // Rows of this tap's [inC, outC] block for the 4 channels.
      let k = (ky * K_W + kx) * CIN * COUT + ci * COUT;
      for (var co = 0u; co < COUT; co++) {
        let w = vec4f(kernel[k.x + co], kernel[k.y + co], kernel[k.z + co], kernel[k.w + co]);
        let g = vec4f(dy[base.x + co], dy[base.y + co], dy[base.z + co], dy[base.w + co]) * mask;
        acc0 += g.x * w;
        acc1 += g.y * w;
        acc2 += g.z * w;
        acc3 += g.w * w;
      }
    }
  }

  store(row0, rows, ci0, acc0);
  store(row0 + 1u, rows, ci0, acc1);
  store(row0 + 2u, rows, ci0, acc2);
  store(row0 + 3u, rows, ci0, acc3);
}

// Writes v to input pixel r, channels ci0.. (those that exist).
fn store(r: u32, rows: u32, ci0: u32, v: vec4f) {
  if (r >= rows) { return; }
  for (var l = 0u; l < 4u && ci0 + l < CIN; l++) {
    dx[r * CIN + ci0 + l] = v[l];
  }
}
