// Conv2D forward, the tiled implicit GEMM of conv2d.forward_tiled.wgsl (same layouts, uniforms,
// fused bias and activation, 64x64 output tiles staged through workgroup memory in steps of 16
// along k) with 8x8 invocations owning 8 pixels x 8 channels each: a quarter of the invocations,
// four times the FMAs per workgroup-memory read (64 per 4 vec4 reads). Fewer invocations per
// barrier also suits CPU implementations (SwiftShader switches between invocations at barriers).
//   x [N, H, W, inC]; kernel [kH, kW, inC, outC]; bias [outC] (has_bias); y [N, outH, outW, outC]
// Staging: each invocation loads 4 vec4s of A (k offset li % 16, pixel quads li / 16 + 4j) and 4
// of B (kernel rows li / 16 + 4j, channel quad li % 16), coalesced as in the 16x16 kernel.
// Dispatch: x = ceil(outC / 64), y = ceil(N*outH*outW / 64).
// Geometry (IN_H .. PAD_LEFT) and the activation (ACTIVATION_CODES) are pipeline constants
// (conv_geometry.wgsl), so index arithmetic folds; the Params fields of the same names are unread.
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

var<workgroup> a_tile: array<vec4f, 256>;  // [16 k][16]: 4 pixels per vec4
var<workgroup> b_tile: array<vec4f, 256>;  // [16 k][16]: 4 output channels per vec4

// A quad of output pixels: where each one's window starts in x (may be negative).
struct Quad { img: vec4u, iy0: vec4i, ix0: vec4i }

fn quad(first: u32, rows: u32) -> Quad {
  let r = min(vec4u(first) + vec4u(0u, 1u, 2u, 3u), vec4u(rows - 1u));
  let iy0 = vec4i(((r / OUT_W) % OUT_H) * STRIDE_H) - i32(PAD_TOP);
  let ix0 = vec4i((r % OUT_W) * STRIDE_W) - i32(PAD_LEFT);
  return Quad((r / (OUT_H * OUT_W)) * IN_H, iy0, ix0);
}

// x at reduction index k (k < k_total) for a quad of pixels; zeros for taps in the padding.
fn gather_quad(g: Quad, k: u32, live: bool) -> vec4f {
  let tap = k / CIN;
  let iy = g.iy0 + i32(tap / K_W);
  let ix = g.ix0 + i32(tap % K_W);
  let inside = (iy >= vec4i(0)) & (iy < vec4i(i32(IN_H))) & (ix >= vec4i(0)) & (ix < vec4i(i32(IN_W))) & vec4<bool>(live);
  let at = select(vec4u(0u), ((g.img + vec4u(iy)) * IN_W + vec4u(ix)) * CIN + k % CIN, inside);
  return select(vec4f(0.0), vec4f(x[at.x], x[at.y], x[at.z], x[at.w]), inside);
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let rows = p.batch * OUT_H * OUT_W;
  let k_total = K_H * K_W * CIN;
  let m_base = wid.y * 64u;
  let kk = li % 16u;
  let g = li / 16u;
  let q0 = quad(m_base + 4u * g, rows);
  let q1 = quad(m_base + 4u * (g + 4u), rows);
  let q2 = quad(m_base + 4u * (g + 8u), rows);
  let q3 = quad(m_base + 4u * (g + 12u), rows);
  let cb = min(vec4u(wid.x * 64u + 4u * kk) + vec4u(0u, 1u, 2u, 3u), vec4u(COUT - 1u));

  // a<i>: pixel 8ty + i, channels 8tx..+3; b<i>: the same pixel, channels 8tx+4..+7.
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  for (var k0 = 0u; k0 < k_total; k0 += 16u) {
    let live = k0 + kk < k_total;
    let k = min(k0 + kk, k_total - 1u);
    a_tile[kk * 16u + g] = gather_quad(q0, k, live);
    a_tile[kk * 16u + g + 4u] = gather_quad(q1, k, live);
    a_tile[kk * 16u + g + 8u] = gather_quad(q2, k, live);
    a_tile[kk * 16u + g + 12u] = gather_quad(q3, k, live);
    for (var j = 0u; j < 4u; j++) {
      let kr = k0 + g + 4u * j;
      let kw = min(kr, k_total - 1u) * COUT;
      let bv = vec4f(kernel[kw + cb.x], kernel[kw + cb.y], kernel[kw + cb.z], kernel[kw + cb.w]);
      b_tile[li + 64u * j] = select(vec4f(0.0), bv, kr < k_total);
    }
    workgroupBarrier();

    for (var q = 0u; q < 16u; q++) {
      let u = a_tile[q * 16u + 2u * lid.y];
      let v = a_tile[q * 16u + 2u * lid.y + 1u];
      let w = b_tile[q * 16u + 2u * lid.x];
      let e = b_tile[q * 16u + 2u * lid.x + 1u];
      a0 += u.x * w; a1 += u.y * w; a2 += u.z * w; a3 += u.w * w;
      a4 += v.x * w; a5 += v.y * w; a6 += v.z * w; a7 += v.w * w;
      b0 += u.x * e; b1 += u.y * e; b2 += u.z * e; b3 += u.w * e;
      b4 += v.x * e; b5 += v.y * e; b6 += v.z * e; b7 += v.w * e;
    }
    workgroupBarrier();
  }

  let row0 = m_base + 8u * lid.y;
  let co0 = wid.x * 64u + 8u * lid.x;
  store(row0, rows, co0, a0, b0);
  store(row0 + 1u, rows, co0, a1, b1);
  store(row0 + 2u, rows, co0, a2, b2);
  store(row0 + 3u, rows, co0, a3, b3);
  store(row0 + 4u, rows, co0, a4, b4);
  store(row0 + 5u, rows, co0, a5, b5);
  store(row0 + 6u, rows, co0, a6, b6);
  store(row0 + 7u, rows, co0, a7, b7);
}

// Writes activate(v + bias) to output pixel r, channels co0..co0+3, and activate(w + bias) to
// channels co0+4..co0+7 (those that exist).
fn store(r: u32, rows: u32, co0: u32, v: vec4f, w: vec4f) {
  if (r >= rows) { return; }
  for (var l = 0u; l < 8u && co0 + l < COUT; l++) {
    var s = select(w[l % 4u], v[l % 4u], l < 4u);
    if (p.has_bias != 0u) { s += bias[co0 + l]; }
    y[r * COUT + co0 + l] = activate(s, ACT);
  }
}
