// Conv2D input gradient, the tiled GEMM of conv2d.grad_input_tiled.wgsl (same layouts, uniforms,
// 64x64 tiles of dx staged in steps of 16 along k = (ky*kW + kx)*outC + co) with 8x8 invocations
// owning 8 pixels x 8 input channels each: four times the FMAs per workgroup-memory read, a
// quarter of the invocations per barrier (what CPU implementations such as SwiftShader prefer).
//   dy [N, outH, outW, outC]; kernel [kH, kW, inC, outC]; dx [N, H, W, inC]
// Staging: each invocation loads, at k offset li % 16, 4 vec4s of dy (pixel quads li / 16 + 4j)
// and 4 of the kernel (input-channel quads li / 16 + 4j); consecutive invocations take
// consecutive output channels, contiguous in both, so loads coalesce.
// Dispatch: x = ceil(inC / 64), y = ceil(N*H*W / 64).
// Geometry (IN_H .. PAD_LEFT) is pipeline constants (conv_geometry.wgsl), so index arithmetic
// folds; the Params fields of the same names are unread.

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

var<workgroup> a_tile: array<vec4f, 256>;  // [16 k][16]: 4 pixels per vec4
var<workgroup> b_tile: array<vec4f, 256>;  // [16 k][16]: 4 input channels per vec4

// A quad of input pixels: image offset in dy rows, and (iy + pad_top, ix + pad_left).
struct Quad { img: vec4u, py: vec4i, px: vec4i }

fn quad(first: u32, rows: u32) -> Quad {
  let r = min(vec4u(first) + vec4u(0u, 1u, 2u, 3u), vec4u(rows - 1u));
  let py = vec4i((r / IN_W) % IN_H) + i32(PAD_TOP);
  let px = vec4i(r % IN_W) + i32(PAD_LEFT);
  return Quad((r / (IN_H * IN_W)) * OUT_H, py, px);
}

// dy at output channel co for tap (ky, kx) of a quad of pixels; zeros where no output pixel
// reaches them through that tap.
fn gather_dy(g: Quad, co: u32, ky: u32, kx: u32, live: bool) -> vec4f {
  let sh = i32(STRIDE_H);
  let sw = i32(STRIDE_W);
  let ny = g.py - i32(ky);
  let nx = g.px - i32(kx);
  let oy = ny / sh;
  let ox = nx / sw;
  let hit = (ny >= vec4i(0)) & (oy * sh == ny) & (oy < vec4i(i32(OUT_H))) &
    (nx >= vec4i(0)) & (ox * sw == nx) & (ox < vec4i(i32(OUT_W))) & vec4<bool>(live);
  let at = select(vec4u(0u), ((g.img + vec4u(oy)) * OUT_W + vec4u(ox)) * COUT + co, hit);
  return select(vec4f(0.0), vec4f(dy[at.x], dy[at.y], dy[at.z], dy[at.w]), hit);
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let rows = p.batch * IN_H * IN_W;
  let k_total = K_H * K_W * COUT;
  let m_base = wid.y * 64u;
  let n_base = wid.x * 64u;
  let kk = li % 16u;
  let g = li / 16u;
  let q0 = quad(m_base + 4u * g, rows);
  let q1 = quad(m_base + 4u * (g + 4u), rows);
  let q2 = quad(m_base + 4u * (g + 8u), rows);
  let q3 = quad(m_base + 4u * (g + 12u), rows);

  // a<i>: pixel 8ty + i, channels 8tx..+3; b<i>: the same pixel, channels 8tx+4..+7.
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  for (var k0 = 0u; k0 < k_total; k0 += 16u) {
    let live = k0 + kk < k_total;
    let k = min(k0 + kk, k_total - 1u);
    let co = k % COUT;
    let tap = k / COUT;
    let ky = tap / K_W;
    let kx = tap % K_W;
    a_tile[kk * 16u + g] = gather_dy(q0, co, ky, kx, live);
    a_tile[kk * 16u + g + 4u] = gather_dy(q1, co, ky, kx, live);
    a_tile[kk * 16u + g + 8u] = gather_dy(q2, co, ky, kx, live);
    a_tile[kk * 16u + g + 12u] = gather_dy(q3, co, ky, kx, live);
    let kw = tap * CIN * COUT + co;
    for (var j = 0u; j < 4u; j++) {
      let ci = min(vec4u(n_base + 4u * (g + 4u * j)) + vec4u(0u, 1u, 2u, 3u), vec4u(CIN - 1u)) * COUT + kw;
      let bv = vec4f(kernel[ci.x], kernel[ci.y], kernel[ci.z], kernel[ci.w]);
      b_tile[kk * 16u + g + 4u * j] = select(vec4f(0.0), bv, live);
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
  let c0 = n_base + 8u * lid.x;
  store(row0, rows, c0, a0, b0);
  store(row0 + 1u, rows, c0, a1, b1);
  store(row0 + 2u, rows, c0, a2, b2);
  store(row0 + 3u, rows, c0, a3, b3);
  store(row0 + 4u, rows, c0, a4, b4);
  store(row0 + 5u, rows, c0, a5, b5);
  store(row0 + 6u, rows, c0, a6, b6);
  store(row0 + 7u, rows, c0, a7, b7);
}

// Writes v to input pixel r, channels c0..c0+3, and w to c0+4..c0+7 (those that exist).
fn store(r: u32, rows: u32, c0: u32, v: vec4f, w: vec4f) {
  if (r >= rows) { return; }
  for (var l = 0u; l < 8u && c0 + l < CIN; l++) {
    dx[r * CIN + c0 + l] = select(w[l % 4u], v[l % 4u], l < 4u);
  }
}
