// Conv2D forward for real GPUs: the implicit GEMM of conv2d.forward.wgsl (same layouts, uniforms,
// fused bias and activation) with its operands staged through workgroup memory.
//   x      [N, H, W, inC]
//   kernel [kH, kW, inC, outC]
//   bias   [outC]   (any buffer when has_bias is 0)
//   y      [N, outH, outW, outC]
// GEMM view: rows = N*outH*outW pixels, cols = outC, reduction k = (ky*kW + kx)*inC + ci.
// A workgroup of 16x16 invocations owns a 64-pixel x 64-channel tile of y; invocation (tx, ty)
// owns its pixels 4ty..4ty+3 x channels 4tx..4tx+3 (16 accumulators). Per step of 16 along k the
// workgroup stages A (input patches, [16 k][64 pixels]) and B (weights, [16 k][64 channels]) as
// vec4s, one vec4 of each per invocation: for A, consecutive invocations take consecutive k, i.e.
// consecutive input channels of one tap in x; for B, consecutive channel quads of one kernel row.
// Both coalesce. Each element of x and kernel is then read once per workgroup, not once per
// invocation. Taps in the padding, k past the end and pixels past the end stage zeros or clamped
// copies; only existing outputs are written.
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

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let rows = p.batch * OUT_H * OUT_W;
  let k_total = K_H * K_W * CIN;
  let m_base = wid.y * 64u;
  let n_base = wid.x * 64u;

  // Staging A: reduction offset ka, pixels 4ga..4ga+3 of the tile (past the end: the last pixel).
  let ka = li % 16u;
  let ga = li / 16u;
  let r = min(vec4u(m_base + 4u * ga) + vec4u(0u, 1u, 2u, 3u), vec4u(rows - 1u));
  let img = (r / (OUT_H * OUT_W)) * IN_H;
  let iy0 = vec4i(((r / OUT_W) % OUT_H) * STRIDE_H) - i32(PAD_TOP);
  let ix0 = vec4i((r % OUT_W) * STRIDE_W) - i32(PAD_LEFT);
  // Staging B: kernel row offset kb = ty, channels cb..cb+3 (past the end: the last channel).
  let cb = min(vec4u(n_base + 4u * lid.x) + vec4u(0u, 1u, 2u, 3u), vec4u(COUT - 1u));

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var k0 = 0u; k0 < k_total; k0 += 16u) {
    let k = k0 + ka;
    let tap = k / CIN;
    let iy = iy0 + i32(tap / K_W);
    let ix = ix0 + i32(tap % K_W);
    let inside = (iy >= vec4i(0)) & (iy < vec4i(i32(IN_H))) & (ix >= vec4i(0)) & (ix < vec4i(i32(IN_W))) & vec4<bool>(k < k_total);
    let at = select(vec4u(0u), ((img + vec4u(iy)) * IN_W + vec4u(ix)) * CIN + k % CIN, inside);
    let av = vec4f(x[at.x], x[at.y], x[at.z], x[at.w]);
    a_tile[ka * 16u + ga] = select(vec4f(0.0), av, inside);

    let kr = k0 + lid.y;
    let kw = min(kr, k_total - 1u) * COUT;
    let bv = vec4f(kernel[kw + cb.x], kernel[kw + cb.y], kernel[kw + cb.z], kernel[kw + cb.w]);
    b_tile[li] = select(vec4f(0.0), bv, kr < k_total);
    workgroupBarrier();

    for (var q = 0u; q < 16u; q++) {
      let a = a_tile[q * 16u + lid.y];
      let b = b_tile[q * 16u + lid.x];
      acc0 += a.x * b;
      acc1 += a.y * b;
      acc2 += a.z * b;
      acc3 += a.w * b;
    }
    workgroupBarrier();
  }

  let row0 = m_base + 4u * lid.y;
  let co0 = n_base + 4u * lid.x;
  var bv = vec4f(0.0);
  if (p.has_bias != 0u) { bv = vec4f(bias[cb.x], bias[cb.y], bias[cb.z], bias[cb.w]); }
  store(row0, rows, co0, acc0 + bv);
  store(row0 + 1u, rows, co0, acc1 + bv);
  store(row0 + 2u, rows, co0, acc2 + bv);
  store(row0 + 3u, rows, co0, acc3 + bv);
}

// Writes activate(v) to output pixel r, channels co0.. (those that exist).
fn store(r: u32, rows: u32, co0: u32, v: vec4f) {
  if (r >= rows) { return; }
  for (var l = 0u; l < 4u && co0 + l < COUT; l++) {
    y[r * COUT + co0 + l] = activate(v[l], ACT);
  }
}
