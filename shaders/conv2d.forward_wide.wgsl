// Conv2D forward for any inC and outC % 16 == 0: conv2d.forward_narrow.wgsl (same layouts,
// uniforms, fused bias/activation and x read one channel at a time) with 8 output pixels x 16
// output channels per invocation: per input channel, 8 pixel loads and 4 vec4 weight loads feed
// 128 FMAs (narrow: 8 + 2 for 64). On SwiftShader each load, whatever its pattern, costs about
// the same few instructions (bounds mask, lane checks), so loads per FMA decide.
//   x      [N, H, W, inC]
//   kernel [kH, kW, inC, outC]    as vec4 [kH, kW, inC, outC/4]
//   bias   [outC]   (any buffer when has_bias is 0)
//   y      [N, outH, outW, outC]  as vec4
// Dispatch: 1-D over ceil(rows / 8) * (outC / 16) invocations, channel block fastest, folded into
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

@group(0) @binding(0) var<storage, read> x: array<f32>;
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

// Where each pixel's tap (ky, kx) lands in x (channel 0), and whether it is inside the image.
struct Tap { base: vec4u, inside: vec4<bool> }

fn tap(g: Pixels, ky: u32, kx: u32) -> Tap {
  let iy = g.iy0 + i32(ky);
  let ix = g.ix0 + i32(kx);
  let inside = (iy >= vec4i(0)) & (iy < vec4i(i32(IN_H))) & (ix >= vec4i(0)) & (ix < vec4i(i32(IN_W)));
  let base = select(vec4u(0u), ((g.n * IN_H + vec4u(iy)) * IN_W + vec4u(ix)) * CIN, inside);
  return Tap(base, inside);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let col_blocks = COUT / 16u;
  let rows = p.batch * OUT_H * OUT_W;
  let row0 = (t / col_blocks) * 8u;
  let c4 = (t % col_blocks) * 4u;  // first output channel / 4
  if (row0 >= rows) { return; }
  let ga = pixels(row0, rows);
  let gb = pixels(row0 + 4u, rows);
  let q = COUT / 4u;

  // <s><i>: pixel row0 + i, output channels 4 * (c4 + s) .. +3 for s = a, b, g, h (0 .. 3).
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  var g0 = vec4f(0.0); var g1 = vec4f(0.0); var g2 = vec4f(0.0); var g3 = vec4f(0.0);
  var g4 = vec4f(0.0); var g5 = vec4f(0.0); var g6 = vec4f(0.0); var g7 = vec4f(0.0);
  var h0 = vec4f(0.0); var h1 = vec4f(0.0); var h2 = vec4f(0.0); var h3 = vec4f(0.0);
  var h4 = vec4f(0.0); var h5 = vec4f(0.0); var h6 = vec4f(0.0); var h7 = vec4f(0.0);
  for (var ky = 0u; ky < K_H; ky++) {
    for (var kx = 0u; kx < K_W; kx++) {
      let ta = tap(ga, ky, kx);
      let tb = tap(gb, ky, kx);
      if (!any(ta.inside) && !any(tb.inside)) { continue; }
      let ma = select(vec4f(0.0), vec4f(1.0), ta.inside);
      let mb = select(vec4f(0.0), vec4f(1.0), tb.inside);
      // Weight row (tap, ci = 0, channels 4*c4..) in vec4 units.
      var k = (ky * K_W + kx) * CIN * q + c4;
      for (var ci = 0u; ci < CIN; ci++) {
        let wa = kernel[k];
        let wb = kernel[k + 1u];
        let wc = kernel[k + 2u];
        let wd = kernel[k + 3u];
        let sa = vec4f(x[ta.base.x + ci], x[ta.base.y + ci], x[ta.base.z + ci], x[ta.base.w + ci]) * ma;
        let sb = vec4f(x[tb.base.x + ci], x[tb.base.y + ci], x[tb.base.z + ci], x[tb.base.w + ci]) * mb;
        a0 += sa.x * wa; b0 += sa.x * wb; g0 += sa.x * wc; h0 += sa.x * wd;
        a1 += sa.y * wa; b1 += sa.y * wb; g1 += sa.y * wc; h1 += sa.y * wd;
        a2 += sa.z * wa; b2 += sa.z * wb; g2 += sa.z * wc; h2 += sa.z * wd;
        a3 += sa.w * wa; b3 += sa.w * wb; g3 += sa.w * wc; h3 += sa.w * wd;
        a4 += sb.x * wa; b4 += sb.x * wb; g4 += sb.x * wc; h4 += sb.x * wd;
        a5 += sb.y * wa; b5 += sb.y * wb; g5 += sb.y * wc; h5 += sb.y * wd;
        a6 += sb.z * wa; b6 += sb.z * wb; g6 += sb.z * wc; h6 += sb.z * wd;
        a7 += sb.w * wa; b7 += sb.w * wb; g7 += sb.w * wc; h7 += sb.w * wd;
        k += q;
      }
    }
  }

  var ba = vec4f(0.0); var bb = vec4f(0.0); var bc = vec4f(0.0); var bd = vec4f(0.0);
  if (p.has_bias != 0u) {
    ba = bias[c4];
    bb = bias[c4 + 1u];
    bc = bias[c4 + 2u];
    bd = bias[c4 + 3u];
  }
  store(row0, rows, c4, a0 + ba, b0 + bb, g0 + bc, h0 + bd);
  store(row0 + 1u, rows, c4, a1 + ba, b1 + bb, g1 + bc, h1 + bd);
  store(row0 + 2u, rows, c4, a2 + ba, b2 + bb, g2 + bc, h2 + bd);
  store(row0 + 3u, rows, c4, a3 + ba, b3 + bb, g3 + bc, h3 + bd);
  store(row0 + 4u, rows, c4, a4 + ba, b4 + bb, g4 + bc, h4 + bd);
  store(row0 + 5u, rows, c4, a5 + ba, b5 + bb, g5 + bc, h5 + bd);
  store(row0 + 6u, rows, c4, a6 + ba, b6 + bb, g6 + bc, h6 + bd);
  store(row0 + 7u, rows, c4, a7 + ba, b7 + bb, g7 + bc, h7 + bd);
}

fn act(v: vec4f) -> vec4f {
  let a = ACT;
  return vec4f(activate(v.x, a), activate(v.y, a), activate(v.z, a), activate(v.w, a));
}

// Writes the activations of va .. vd to output pixel r, channels 4*c4 .. 4*c4+15.
fn store(r: u32, rows: u32, c4: u32, va: vec4f, vb: vec4f, vc: vec4f, vd: vec4f) {
  if (r >= rows) { return; }
  let i = r * (COUT / 4u) + c4;
  y[i] = act(va);
  y[i + 1u] = act(vb);
  y[i + 2u] = act(vc);
  y[i + 3u] = act(vd);
}
