// Conv2D forward, for inC % 4 == 0 and outC % 8 == 0: the implicit GEMM of
// conv2d.forward_vec4.wgsl (same layouts, uniforms and fused bias/activation) with 8x8 register
// blocks: each invocation owns 8 consecutive output pixels x 8 output channels, so per 4 input
// channels 8 pixel loads and 8 weight loads (vec4s) feed 256 FMAs (the 4x4 kernel: 64 FMAs per
// 8 loads). Loads with run-time indices are per-lane gathers on SwiftShader; this halves them.
//   x      [N, H, W, inC]         as vec4 [N, H, W, inC/4]
//   kernel [kH, kW, inC, outC]    as vec4 [kH, kW, inC, outC/4]
//   bias   [outC]   (any buffer when has_bias is 0)
//   y      [N, outH, outW, outC]  as vec4
// Dispatch: 1-D over ceil(rows / 8) * (outC / 8) invocations, channel block fastest, folded into
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
@group(0) @binding(2) var<storage, read> bias: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> y: array<vec4f>;
@group(0) @binding(4) var<uniform> p: Params;

// One group of 4 output pixels: where each one's window starts in x (top-left, may be negative).
struct Pixels { n: vec4u, iy0: vec4i, ix0: vec4i }

fn pixels(row0: u32, rows: u32) -> Pixels {
  // Rows past the end repeat the last pixel (never written).
  let r = min(vec4u(row0) + vec4u(0u, 1u, 2u, 3u), vec4u(rows - 1u));
  let iy0 = vec4i(((r / OUT_W) % OUT_H) * STRIDE_H) - i32(PAD_TOP);
  let ix0 = vec4i((r % OUT_W) * STRIDE_W) - i32(PAD_LEFT);
  return Pixels(r / (OUT_H * OUT_W), iy0, ix0);
}

// Where each pixel's tap (ky, kx) lands in x, in vec4 units, and whether it is inside the image.
struct Tap { base: vec4u, inside: vec4<bool> }

fn tap(g: Pixels, ky: u32, kx: u32) -> Tap {
  let iy = g.iy0 + i32(ky);
  let ix = g.ix0 + i32(kx);
  let inside = (iy >= vec4i(0)) & (iy < vec4i(i32(IN_H))) & (ix >= vec4i(0)) & (ix < vec4i(i32(IN_W)));
  let base = select(vec4u(0u), ((g.n * IN_H + vec4u(iy)) * IN_W + vec4u(ix)) * (CIN / 4u), inside);
  return Tap(base, inside);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let col_blocks = COUT / 8u;
  let rows = p.batch * OUT_H * OUT_W;
  let row0 = (t / col_blocks) * 8u;
  let c4 = (t % col_blocks) * 2u;  // first output channel / 4
  if (row0 >= rows) { return; }
  let ga = pixels(row0, rows);
  let gb = pixels(row0 + 4u, rows);
  let q = COUT / 4u;

  // a<i>: pixel row0 + i, output channels 4*c4..+3; b<i>: the same pixel, the next 4 channels.
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  for (var ky = 0u; ky < K_H; ky++) {
    for (var kx = 0u; kx < K_W; kx++) {
      let ta = tap(ga, ky, kx);
      let tb = tap(gb, ky, kx);
      if (!any(ta.inside) && !any(tb.inside)) { continue; }
      let ma = select(vec4f(0.0), vec4f(1.0), ta.inside);
      let mb = select(vec4f(0.0), vec4f(1.0), tb.inside);
      // Weight row (tap, ci = 0, channels 4*c4..) in vec4 units; 4 rows per step of 4 input channels.
      var k = (ky * K_W + kx) * CIN * q + c4;
      for (var ci4 = 0u; ci4 < CIN / 4u; ci4++) {
        let w0 = kernel[k];
        let w1 = kernel[k + q];
        let w2 = kernel[k + 2u * q];
        let w3 = kernel[k + 3u * q];
        let v0 = kernel[k + 1u];
        let v1 = kernel[k + q + 1u];
        let v2 = kernel[k + 2u * q + 1u];
        let v3 = kernel[k + 3u * q + 1u];
        var s = x[ta.base.x + ci4] * ma.x;
        a0 += s.x * w0 + s.y * w1 + s.z * w2 + s.w * w3;
        b0 += s.x * v0 + s.y * v1 + s.z * v2 + s.w * v3;
        s = x[ta.base.y + ci4] * ma.y;
        a1 += s.x * w0 + s.y * w1 + s.z * w2 + s.w * w3;
        b1 += s.x * v0 + s.y * v1 + s.z * v2 + s.w * v3;
        s = x[ta.base.z + ci4] * ma.z;
        a2 += s.x * w0 + s.y * w1 + s.z * w2 + s.w * w3;
        b2 += s.x * v0 + s.y * v1 + s.z * v2 + s.w * v3;
        s = x[ta.base.w + ci4] * ma.w;
        a3 += s.x * w0 + s.y * w1 + s.z * w2 + s.w * w3;
        b3 += s.x * v0 + s.y * v1 + s.z * v2 + s.w * v3;
        s = x[tb.base.x + ci4] * mb.x;
        a4 += s.x * w0 + s.y * w1 + s.z * w2 + s.w * w3;
        b4 += s.x * v0 + s.y * v1 + s.z * v2 + s.w * v3;
        s = x[tb.base.y + ci4] * mb.y;
        a5 += s.x * w0 + s.y * w1 + s.z * w2 + s.w * w3;
        b5 += s.x * v0 + s.y * v1 + s.z * v2 + s.w * v3;
        s = x[tb.base.z + ci4] * mb.z;
        a6 += s.x * w0 + s.y * w1 + s.z * w2 + s.w * w3;
        b6 += s.x * v0 + s.y * v1 + s.z * v2 + s.w * v3;
        s = x[tb.base.w + ci4] * mb.w;
        a7 += s.x * w0 + s.y * w1 + s.z * w2 + s.w * w3;
        b7 += s.x * v0 + s.y * v1 + s.z * v2 + s.w * v3;
        k += 4u * q;
      }
    }
  }

  var ba = vec4f(0.0);
  var bb = vec4f(0.0);
  if (p.has_bias != 0u) {
    ba = bias[c4];
    bb = bias[c4 + 1u];
  }
  store(row0, rows, c4, a0 + ba, b0 + bb);
  store(row0 + 1u, rows, c4, a1 + ba, b1 + bb);
  store(row0 + 2u, rows, c4, a2 + ba, b2 + bb);
  store(row0 + 3u, rows, c4, a3 + ba, b3 + bb);
  store(row0 + 4u, rows, c4, a4 + ba, b4 + bb);
  store(row0 + 5u, rows, c4, a5 + ba, b5 + bb);
  store(row0 + 6u, rows, c4, a6 + ba, b6 + bb);
  store(row0 + 7u, rows, c4, a7 + ba, b7 + bb);
}

fn act(v: vec4f) -> vec4f {
  let a = ACT;
  return vec4f(activate(v.x, a), activate(v.y, a), activate(v.z, a), activate(v.w, a));
}

// Writes activate(v) and activate(w) to output pixel r, channels 4*c4..4*c4+7.
fn store(r: u32, rows: u32, c4: u32, v: vec4f, w: vec4f) {
  if (r >= rows) { return; }
  let i = r * (COUT / 4u) + c4;
  y[i] = act(v);
  y[i + 1u] = act(w);
}
