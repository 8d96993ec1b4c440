// Conv2D input gradient for real GPUs: the gather form of conv2d.grad_input.wgsl (same layouts
// and uniforms, no atomics) as a GEMM with its operands staged through workgroup memory.
//   dy     [N, outH, outW, outC]
//   kernel [kH, kW, inC, outC]
//   dx     [N, H, W, inC]
// GEMM view: rows = N*H*W input pixels, cols = inC, reduction k = (ky*kW + kx)*outC + co. The
// input pixel (iy, ix) gets dy at (oy, ox) = ((iy + pad_top - ky) / stride_h, ...) where that
// divides exactly and lands inside dy; other taps stage zeros (with strides > 1 most do: simple,
// general, and still one pass).
// A workgroup of 16x16 invocations owns a 64-pixel x 64-channel tile of dx; invocation (tx, ty)
// owns pixels 4ty..4ty+3 x input channels 4tx..4tx+3. Per step of 16 along k it stages A (dy,
// [16 k][64 pixels]) and B (kernel, [16 k][64 input channels]) as vec4s, one of each per
// invocation; consecutive invocations take consecutive k, i.e. consecutive output channels, which
// are contiguous in both dy and kernel, so loads coalesce.
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

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let rows = p.batch * IN_H * IN_W;
  let k_total = K_H * K_W * COUT;
  let m_base = wid.y * 64u;
  let n_base = wid.x * 64u;
  let sh = i32(STRIDE_H);
  let sw = i32(STRIDE_W);

  // Each invocation stages reduction offset kk for pixels 4g..4g+3 (A) and channels 4g..4g+3 (B);
  // rows and channels past the end repeat the last one (computed, never written).
  let kk = li % 16u;
  let g = li / 16u;
  let r = min(vec4u(m_base + 4u * g) + vec4u(0u, 1u, 2u, 3u), vec4u(rows - 1u));
  let img = (r / (IN_H * IN_W)) * OUT_H;
  let py = vec4i((r / IN_W) % IN_H) + i32(PAD_TOP);
  let px = vec4i(r % IN_W) + i32(PAD_LEFT);
  let ci = min(vec4u(n_base + 4u * g) + vec4u(0u, 1u, 2u, 3u), vec4u(CIN - 1u));

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var k0 = 0u; k0 < k_total; k0 += 16u) {
    let k = min(k0 + kk, k_total - 1u);
    let co = k % COUT;
    let tap = k / COUT;
    let ny = py - i32(tap / K_W);
    let nx = px - i32(tap % K_W);
    let oy = ny / sh;
    let ox = nx / sw;
    let hit = (ny >= vec4i(0)) & (oy * sh == ny) & (oy < vec4i(i32(OUT_H))) &
      (nx >= vec4i(0)) & (ox * sw == nx) & (ox < vec4i(i32(OUT_W))) & vec4<bool>(k0 + kk < k_total);
    let at = select(vec4u(0u), ((img + vec4u(oy)) * OUT_W + vec4u(ox)) * COUT + co, hit);
    let av = vec4f(dy[at.x], dy[at.y], dy[at.z], dy[at.w]);
    a_tile[kk * 16u + g] = select(vec4f(0.0), av, hit);

    let kw = tap * CIN * COUT + co;
    let bv = vec4f(kernel[kw + ci.x * COUT], kernel[kw + ci.y * COUT], kernel[kw + ci.z * COUT], kernel[kw + ci.w * COUT]);
    b_tile[kk * 16u + g] = select(vec4f(0.0), bv, k0 + kk < k_total);
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
  let c0 = n_base + 4u * lid.x;
  store(row0, rows, c0, acc0);
  store(row0 + 1u, rows, c0, acc1);
  store(row0 + 2u, rows, c0, acc2);
  store(row0 + 3u, rows, c0, acc3);
}

// Writes v to input pixel r, channels c0.. (those that exist).
fn store(r: u32, rows: u32, c0: u32, v: vec4f) {
  if (r >= rows) { return; }
  for (var l = 0u; l < 4u && c0 + l < CIN; l++) {
    dx[r * CIN + c0 + l] = v[l];
  }
}
