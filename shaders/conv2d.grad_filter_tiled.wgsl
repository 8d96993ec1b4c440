// Conv2D filter gradient for real GPUs, split-K pass 1: the GEMM dkernel = patches^T · dy with its
// operands staged through workgroup memory; conv2d.grad_filter_sum.wgsl sums the partials.
//   x        [N, H, W, inC]
//   dy       [N, outH, outW, outC]
//   partials [splits, kH*kW*inC, outC]
// GEMM view: rows = filter rows k = (ky*kW + kx)*inC + ci, cols = outC, reduction over the
// N*outH*outW output pixels, cut into `splits` chunks of `chunk` pixels (workgroup z) so a long
// reduction still keeps many workgroups busy. A workgroup of 16x16 invocations owns 64 filter
// rows x 64 output channels of one chunk; invocation (tx, ty) owns rows 4ty..4ty+3 x channels
// 4tx..4tx+3. Per step of 16 pixels it stages A (patches, [16 pixels][64 rows]) and B (dy,
// [16 pixels][64 channels]) as vec4s, one of each per invocation; consecutive invocations take
// consecutive row or channel quads of one pixel (contiguous in x within a tap, and in dy), so
// loads coalesce. Every split writes its whole slice (zeros for an empty chunk).
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

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let pixels = p.batch * OUT_H * OUT_W;
  let k_total = K_H * K_W * CIN;
  let m_base = wid.y * 64u;
  let n_base = wid.x * 64u;
  let split = wid.z;
  let p_begin = min(split * p.chunk, pixels);
  let p_end = min(p_begin + p.chunk, pixels);

  // Each invocation stages pixel offset pp: filter rows 4g..4g+3 (A) and channels 4g..4g+3 (B);
  // rows and channels past the end repeat the last one (computed, never written).
  let pp = li / 16u;
  let g = li % 16u;
  let kr = min(vec4u(m_base + 4u * g) + vec4u(0u, 1u, 2u, 3u), vec4u(k_total - 1u));
  let ci = kr % CIN;
  let tap = kr / CIN;
  let ty = vec4i(tap / K_W) - i32(PAD_TOP);
  let tx = vec4i(tap % K_W) - i32(PAD_LEFT);
  let co = min(vec4u(n_base + 4u * g) + vec4u(0u, 1u, 2u, 3u), vec4u(COUT - 1u));

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var p0 = p_begin; p0 < p_end; p0 += 16u) {
    let pix = min(p0 + pp, p_end - 1u);
    let live = p0 + pp < p_end;
    let n = pix / (OUT_H * OUT_W);
    let iy = ty + i32(((pix / OUT_W) % OUT_H) * STRIDE_H);
    let ix = tx + i32((pix % OUT_W) * STRIDE_W);
    let inside = (iy >= vec4i(0)) & (iy < vec4i(i32(IN_H))) & (ix >= vec4i(0)) & (ix < vec4i(i32(IN_W))) & vec4<bool>(live);
    let at = select(vec4u(0u), ((n * IN_H + vec4u(iy)) * IN_W + vec4u(ix)) * CIN + ci, inside);
    let av = vec4f(x[at.x], x[at.y], x[at.z], x[at.w]);
    a_tile[li] = select(vec4f(0.0), av, inside);

    let d = pix * COUT;
    let bv = vec4f(dy[d + co.x], dy[d + co.y], dy[d + co.z], dy[d + co.w]);
    b_tile[li] = select(vec4f(0.0), bv, live);
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
  let slice = split * k_total;
  store(slice, row0, k_total, c0, acc0);
  store(slice, row0 + 1u, k_total, c0, acc1);
  store(slice, row0 + 2u, k_total, c0, acc2);
  store(slice, row0 + 3u, k_total, c0, acc3);
}

// Writes v to filter row r of this split's slice, channels c0.. (those that exist).
fn store(slice: u32, r: u32, k_total: u32, c0: u32, v: vec4f) {
  if (r >= k_total) { return; }
  for (var l = 0u; l < 4u && c0 + l < COUT; l++) {
    partials[(slice + r) * COUT + c0 + l] = v[l];
  }
}
