// Conv2D forward, vec4 variant for inC % 4 == 0 and outC % 4 == 0 (every layer but an image
// input's): same math, layouts and dispatch as conv2d.forward.wgsl, but x and kernel are read
// as vec4s: per 4 input channels, 4 pixel loads and 4 weight-row loads feed 64 FMAs (the scalar
// kernel needs 32 loads for those). About 2.5x faster on SwiftShader at the seed CNN's conv2.
//   x      [N, H, W, inC]         as vec4 [N, H, W, inC/4]
//   kernel [kH, kW, inC, outC]    as vec4 [kH, kW, inC, outC/4]
//   bias   [outC]   (any buffer when has_bias is 0)
//   y      [N, outH, outW, outC]
// Dispatch: 1-D over ceil(rows / 4) * (outC / 4) invocations, channel block fastest, folded into
// y by GpuRuntime.grid.
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

@group(0) @binding(0) var<storage, read> x: array<vec4f>;
@group(0) @binding(1) var<storage, read> kernel: array<vec4f>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<vec4f>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let col_blocks = (COUT + 3u) / 4u;
  let rows = p.batch * OUT_H * OUT_W;
  let row0 = (t / col_blocks) * 4u;
  let co0 = (t % col_blocks) * 4u;
  if (row0 >= rows) { return; }

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
      let k = (ky * K_W + kx) * CIN * COUT;
      // In vec4 units: this tap's pixels and the weight row (tap, ci = 0, co0..co0+3).
      let base4 = base / 4u;
      let q = COUT / 4u;
      var k4 = (k + co0) / 4u;
      for (var c4 = 0u; c4 < CIN / 4u; c4++) {
        let w0 = kernel[k4];
        let w1 = kernel[k4 + q];
        let w2 = kernel[k4 + 2u * q];
        let w3 = kernel[k4 + 3u * q];
        let x0 = x[base4.x + c4] * mask.x;
        let x1 = x[base4.y + c4] * mask.y;
        let x2 = x[base4.z + c4] * mask.z;
        let x3 = x[base4.w + c4] * mask.w;
        acc0 += x0.x * w0 + x0.y * w1 + x0.z * w2 + x0.w * w3;
        acc1 += x1.x * w0 + x1.y * w1 + x1.z * w2 + x1.w * w3;
        acc2 += x2.x * w0 + x2.y * w1 + x2.z * w2 + x2.w * w3;
        acc3 += x3.x * w0 + x3.y * w1 + x3.z * w2 + x3.w * w3;
        k4 += 4u * q;
      }
    }
  }

  var b = vec4f(0.0);
  if (p.has_bias != 0u) { b = vec4f(bias[co0], bias[co0 + 1u], bias[co0 + 2u], bias[co0 + 3u]); }
  store(row0, rows, co0, acc0 + b);
  store(row0 + 1u, rows, co0, acc1 + b);
  store(row0 + 2u, rows, co0, acc2 + b);
  store(row0 + 3u, rows, co0, acc3 + b);
}

// Writes activate(v) to output pixel r, channels co0..co0+3.
fn store(r: u32, rows: u32, co0: u32, v: vec4f) {
  if (r >= rows) { return; }
  let a = ACT;
  y[(r * COUT + co0) / 4u] = vec4f(activate(v.x, a), activate(v.y, a), activate(v.z, a), activate(v.w, a));
}
