// Conv2D filter gradient, split-K pass 1: the tiled GEMM of conv2d.grad_filter_tiled.wgsl (same
// layouts, uniforms, partials and split along the pixels; 64 filter rows x 64 output channels per
// workgroup, staged in steps of 16 pixels) with 8x8 invocations owning 8 rows x 8 channels each:
// four times the FMAs per workgroup-memory read, a quarter of the invocations per barrier.
//   x [N, H, W, inC]; dy [N, outH, outW, outC]; partials [splits, kH*kW*inC, outC]
// Staging: each invocation loads 4 vec4s of patches (filter-row quad li % 16, pixels li / 16 + 4j)
// and 4 of dy (channel quad li % 16, the same pixels); consecutive invocations take consecutive
// quads of one pixel (contiguous within a tap in x, and in dy), so loads coalesce.
// Dispatch: x = ceil(outC / 64), y = ceil(kH*kW*inC / 64), z = splits.
// Geometry (IN_H .. PAD_LEFT) is pipeline constants (conv_geometry.wgsl), so index arithmetic
// folds; the Params fields of the same names are unread.

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32, chunk: u32, splits: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

var<workgroup> a_tile: array<vec4f, 256>;  // [16 pixels][16]: 4 filter rows per vec4
var<workgroup> b_tile: array<vec4f, 256>;  // [16 pixels][16]: 4 output channels per vec4

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let pixels = p.batch * OUT_H * OUT_W;
  let k_total = K_H * K_W * CIN;
  let m_base = wid.y * 64u;
  let n_base = wid.x * 64u;
  let p_begin = min(wid.z * p.chunk, pixels);
  let p_end = min(p_begin + p.chunk, pixels);

  // This invocation's staging quads (past the end: the last row / channel, never written).
  let g = li % 16u;
  let kr = min(vec4u(m_base + 4u * g) + vec4u(0u, 1u, 2u, 3u), vec4u(k_total - 1u));
  let ci = kr % CIN;
  let tap = kr / CIN;
  let ty = vec4i(tap / K_W) - i32(PAD_TOP);
  let tx = vec4i(tap % K_W) - i32(PAD_LEFT);
  let co = min(vec4u(n_base + 4u * g) + vec4u(0u, 1u, 2u, 3u), vec4u(COUT - 1u));

  // a<i>: filter row 8ty + i, channels 8tx..+3; b<i>: the same row, channels 8tx+4..+7.
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  for (var p0 = p_begin; p0 < p_end; p0 += 16u) {
    for (var j = 0u; j < 4u; j++) {
      let pp = li / 16u + 4u * j;
      let live = p0 + pp < p_end;
      let pix = min(p0 + pp, p_end - 1u);
      let n = pix / (OUT_H * OUT_W);
      let iy = ty + i32(((pix / OUT_W) % OUT_H) * STRIDE_H);
      let ix = tx + i32((pix % OUT_W) * STRIDE_W);
      let inside = (iy >= vec4i(0)) & (iy < vec4i(i32(IN_H))) & (ix >= vec4i(0)) & (ix < vec4i(i32(IN_W))) & vec4<bool>(live);
      let at = select(vec4u(0u), ((n * IN_H + vec4u(iy)) * IN_W + vec4u(ix)) * CIN + ci, inside);
      a_tile[li + 64u * j] = select(vec4f(0.0), vec4f(x[at.x], x[at.y], x[at.z], x[at.w]), inside);
      let d = pix * COUT;
      b_tile[li + 64u * j] = select(vec4f(0.0), vec4f(dy[d + co.x], dy[d + co.y], dy[d + co.z], dy[d + co.w]), live);
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
  let slice = wid.z * k_total;
  store(slice, row0, k_total, c0, a0, b0);
  store(slice, row0 + 1u, k_total, c0, a1, b1);
  store(slice, row0 + 2u, k_total, c0, a2, b2);
  store(slice, row0 + 3u, k_total, c0, a3, b3);
  store(slice, row0 + 4u, k_total, c0, a4, b4);
  store(slice, row0 + 5u, k_total, c0, a5, b5);
  store(slice, row0 + 6u, k_total, c0, a6, b6);
  store(slice, row0 + 7u, k_total, c0, a7, b7);
}

// Writes v to filter row r of this split's slice, channels c0..c0+3, and w to c0+4..c0+7.
fn store(slice: u32, r: u32, k_total: u32, c0: u32, v: vec4f, w: vec4f) {
  if (r >= k_total) { return; }
  for (var l = 0u; l < 8u && c0 + l < COUT; l++) {
    partials[(slice + r) * COUT + c0 + l] = select(w[l % 4u], v[l % 4u], l < 4u);
  }
}
