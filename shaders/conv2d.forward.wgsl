// Conv2D forward as an implicit GEMM: y = activate(conv(x, kernel) + bias), NHWC like Keras.
//   x      [N, H, W, inC]
//   kernel [kH, kW, inC, outC]
//   bias   [outC]   (any buffer when has_bias is 0)
//   y      [N, outH, outW, outC]
// GEMM view: rows = N*outH*outW output pixels, cols = outC, reduction = kH*kW*inC, read straight
// from x (no im2col buffer). Each invocation owns 4 consecutive pixels x 4 output channels in 4 vec4
// accumulators: per reduction step it loads 4 inputs and one vec4 of weights (16 FMAs).
// Kernel taps that fall in the padding are skipped for the whole block when no pixel needs them.
// Dispatch: 1-D over ceil(rows / 4) * ceil(outC / 4) invocations, channel block fastest (so
// neighbours share inputs and read neighbouring weights), folded into y by GpuRuntime.grid.
override WG: u32 = 64;
// The activation (ACTIVATION_CODES) as a pipeline constant, so the compiler drops the other
// cases of activate(); the Params field of the same meaning is not read.
override ACT: u32 = 0u;

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32, activation: u32, has_bias: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> kernel: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let col_blocks = (COUT + 3u) / 4u;
  let rows = p.batch * OUT_H * OUT_W;
  let row0 = (t / col_blocks) * 4u;
  let co0 = (t % col_blocks) * 4u;
  if (row0 >= rows) { return; }
  // Channels past outC read the last one; they are never written.
  let co = min(vec4u(co0, co0 + 1u, co0 + 2u, co0 + 3u), vec4u(COUT - 1u));

  // Top-left input corner of each pixel's window, one pixel per lane (rows past the end repeat
  // the last pixel). Plain vectors, not arrays: SwiftShader spills dynamically indexed arrays.
  let r = min(vec4u(row0) + vec4u(0u, 1u, 2u, 3u), vec4u(rows - 1u));
  let n = r / (OUT_H * OUT_W);
  let iy0 = vec4i(((r / OUT_W) % OUT_H) * STRIDE_H) - i32(PAD_TOP);
  let ix0 = vec4i((r % OUT_W) * STRIDE_W) - i32(PAD_LEFT);
  let in_h = i32(IN_H);
  let in_w = i32(IN_W);

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var ky = 0u; ky < K_H; ky++) {
    let iy = iy0 + i32(ky);
    let row_in = (iy >= vec4i(0)) & (iy < vec4i(in_h));
    for (var kx = 0u; kx < K_W; kx++) {
      // Where each pixel's tap lands in x, and a 0/1 mask for taps in the padding.
      let ix = ix0 + i32(kx);
      let inside = row_in & (ix >= vec4i(0)) & (ix < vec4i(in_w));
      if (!any(inside)) { continue; }
      let base = select(vec4u(0u), ((n * IN_H + vec4u(iy)) * IN_W + vec4u(ix)) * CIN, inside);
      let mask = select(vec4f(0.0), vec4f(1.0), inside);
      var k = (ky * K_W + kx) * CIN * COUT;
      for (var ci = 0u; ci < CIN; ci++) {
        let w = vec4f(kernel[k + co.x], kernel[k + co.y], kernel[k + co.z], kernel[k + co.w]);
        let xv = vec4f(x[base.x + ci], x[base.y + ci], x[base.z + ci], x[base.w + ci]) * mask;
        acc0 += xv.x * w;
        acc1 += xv.y * w;
        acc2 += xv.z * w;
        acc3 += xv.w * w;
        k += COUT;
      }
    }
  }

  var b = vec4f(0.0);
  if (p.has_bias != 0u) { b = vec4f(bias[co.x], bias[co.y], bias[co.z], bias[co.w]); }
  store(row0, rows, co0, acc0 + b);
  store(row0 + 1u, rows, co0, acc1 + b);
  store(row0 + 2u, rows, co0, acc2 + b);
  store(row0 + 3u, rows, co0, acc3 + b);
}

// Writes activate(v) to output pixel r, channels co0.. (those that exist).
fn store(r: u32, rows: u32, co0: u32, v: vec4f) {
  if (r >= rows) { return; }
  for (var l = 0u; l < 4u && co0 + l < COUT; l++) {
    y[r * COUT + co0 + l] = activate(v[l], ACT);
  }
}
