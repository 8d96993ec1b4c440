// Conv2D input gradient, for inC % 8 == 0 and outC % 4 == 0: the gather form of
// conv2d.grad_input_vec4.wgsl (same layouts and uniforms) with 8x8 register blocks: each
// invocation owns 8 consecutive input pixels x 8 input channels, so per 4 output channels 8 dy
// loads and 8 kernel-row loads (vec4s) feed 256 FMAs as dot products (the 4x4 kernel: 64 FMAs per
// 8 loads). Loads with run-time indices are per-lane gathers on SwiftShader; this halves them.
//   dy     [N, outH, outW, outC]  as vec4 [N, outH, outW, outC/4]
//   kernel [kH, kW, inC, outC]    as vec4 [kH, kW, inC, outC/4]
//   dx     [N, H, W, inC]         as vec4 [N, H, W, inC/4]
// Dispatch: 1-D over ceil(N*H*W / 8) * (inC / 8) invocations, channel block fastest, folded into
// y by GpuRuntime.grid.
override WG: u32 = 64;

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<vec4f>;
@group(0) @binding(1) var<storage, read> kernel: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dx: array<vec4f>;
@group(0) @binding(3) var<uniform> p: Params;

// One group of 4 input pixels: image index and (iy + padTop, ix + padLeft).
struct Pixels { n: vec4u, ty0: vec4i, tx0: vec4i }

fn pixels(row0: u32, rows: u32) -> Pixels {
  // Rows past the end repeat the last pixel (never written).
  let r = min(vec4u(row0) + vec4u(0u, 1u, 2u, 3u), vec4u(rows - 1u));
  let ty0 = vec4i(((r / IN_W) % IN_H) + PAD_TOP);
  let tx0 = vec4i((r % IN_W) + PAD_LEFT);
  return Pixels(r / (IN_H * IN_W), ty0, tx0);
}

// The dy row (vec4 units) that reaches each pixel through tap (ky, kx), and whether one does:
// output (oy, ox) = ((iy + padTop - ky) / strideH, (ix + padLeft - kx) / strideW) when exact and in range.
struct Tap { base: vec4u, hit: vec4<bool> }

fn tap(g: Pixels, ky: u32, kx: u32) -> Tap {
  let sh = vec4i(i32(STRIDE_H));
  let sw = vec4i(i32(STRIDE_W));
  let ty = g.ty0 - i32(ky);
  let tx = g.tx0 - i32(kx);
  let oy = ty / sh;
  let ox = tx / sw;
  let hit = (ty >= vec4i(0)) & (ty % sh == vec4i(0)) & (oy < vec4i(i32(OUT_H)))
    & (tx >= vec4i(0)) & (tx % sw == vec4i(0)) & (ox < vec4i(i32(OUT_W)));
  let base = select(vec4u(0u), ((g.n * OUT_H + vec4u(oy)) * OUT_W + vec4u(ox)) * (COUT / 4u), hit);
  return Tap(base, hit);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let col_blocks = CIN / 8u;
  let rows = p.batch * IN_H * IN_W;
  let row0 = (t / col_blocks) * 8u;
  let ci0 = (t % col_blocks) * 8u;
  if (row0 >= rows) { return; }
  let ga = pixels(row0, rows);
  let gb = pixels(row0 + 4u, rows);
  let q = COUT / 4u;

  // a<i>: pixel row0 + i, input channels ci0..ci0+3; b<i>: the same pixel, ci0+4..ci0+7.
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  for (var ky = 0u; ky < K_H; ky++) {
    for (var kx = 0u; kx < K_W; kx++) {
      let ta = tap(ga, ky, kx);
      let tb = tap(gb, ky, kx);
      if (!any(ta.hit) && !any(tb.hit)) { continue; }
      let ma = select(vec4f(0.0), vec4f(1.0), ta.hit);
      let mb = select(vec4f(0.0), vec4f(1.0), tb.hit);
      // This tap's kernel row for input channel ci0, output channels 0..3, in vec4 units.
      let k = ((ky * K_W + kx) * CIN + ci0) * q;
      for (var c4 = 0u; c4 < q; c4++) {
        let w0 = kernel[k + c4];
        let w1 = kernel[k + q + c4];
        let w2 = kernel[k + 2u * q + c4];
        let w3 = kernel[k + 3u * q + c4];
        let w4 = kernel[k + 4u * q + c4];
        let w5 = kernel[k + 5u * q + c4];
        let w6 = kernel[k + 6u * q + c4];
        let w7 = kernel[k + 7u * q + c4];
        var g = dy[ta.base.x + c4] * ma.x;
        a0 += vec4f(dot(g, w0), dot(g, w1), dot(g, w2), dot(g, w3));
        b0 += vec4f(dot(g, w4), dot(g, w5), dot(g, w6), dot(g, w7));
        g = dy[ta.base.y + c4] * ma.y;
        a1 += vec4f(dot(g, w0), dot(g, w1), dot(g, w2), dot(g, w3));
        b1 += vec4f(dot(g, w4), dot(g, w5), dot(g, w6), dot(g, w7));
        g = dy[ta.base.z + c4] * ma.z;
        a2 += vec4f(dot(g, w0), dot(g, w1), dot(g, w2), dot(g, w3));
        b2 += vec4f(dot(g, w4), dot(g, w5), dot(g, w6), dot(g, w7));
        g = dy[ta.base.w + c4] * ma.w;
        a3 += vec4f(dot(g, w0), dot(g, w1), dot(g, w2), dot(g, w3));
        b3 += vec4f(dot(g, w4), dot(g, w5), dot(g, w6), dot(g, w7));
        g = dy[tb.base.x + c4] * mb.x;
        a4 += vec4f(dot(g, w0), dot(g, w1), dot(g, w2), dot(g, w3));
        b4 += vec4f(dot(g, w4), dot(g, w5), dot(g, w6), dot(g, w7));
        g = dy[tb.base.y + c4] * mb.y;
        a5 += vec4f(dot(g, w0), dot(g, w1), dot(g, w2), dot(g, w3));
        b5 += vec4f(dot(g, w4), dot(g, w5), dot(g, w6), dot(g, w7));
        g = dy[tb.base.z + c4] * mb.z;
        a6 += vec4f(dot(g, w0), dot(g, w1), dot(g, w2), dot(g, w3));
        b6 += vec4f(dot(g, w4), dot(g, w5), dot(g, w6), dot(g, w7));
        g = dy[tb.base.w + c4] * mb.w;
        a7 += vec4f(dot(g, w0), dot(g, w1), dot(g, w2), dot(g, w3));
        b7 += vec4f(dot(g, w4), dot(g, w5), dot(g, w6), dot(g, w7));
      }
    }
  }

  let c = ci0 / 4u;
  store(row0, rows, c, a0, b0);
  store(row0 + 1u, rows, c, a1, b1);
  store(row0 + 2u, rows, c, a2, b2);
  store(row0 + 3u, rows, c, a3, b3);
  store(row0 + 4u, rows, c, a4, b4);
  store(row0 + 5u, rows, c, a5, b5);
  store(row0 + 6u, rows, c, a6, b6);
  store(row0 + 7u, rows, c, a7, b7);
}

// Writes v and w to input pixel r, channels 4*c..4*c+7.
fn store(r: u32, rows: u32, c: u32, v: vec4f, w: vec4f) {
  if (r >= rows) { return; }
  let i = r * (CIN / 4u) + c;
  dx[i] = v;
  dx[i + 1u] = w;
}
