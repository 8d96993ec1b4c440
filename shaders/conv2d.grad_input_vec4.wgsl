// Conv2D input gradient, vec4 variant for inC % 4 == 0 and outC % 4 == 0: same math, layouts and
// dispatch as conv2d.grad_input.wgsl, but dy and kernel are read as vec4s along outC: per 4
// output channels, 4 dy loads (one per pixel) and 4 kernel-row loads (one per input channel)
// feed 64 FMAs as dot products (the scalar kernel needs 32 loads for those).
//   dy     [N, outH, outW, outC]  as vec4 [N, outH, outW, outC/4]
//   kernel [kH, kW, inC, outC]    as vec4 [kH, kW, inC, outC/4]
//   dx     [N, H, W, inC]         as vec4 [N, H, W, inC/4]
// Dispatch: 1-D over ceil(N*H*W / 4) * (inC / 4) invocations, channel block fastest, folded into
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

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let col_blocks = CIN / 4u;
  let rows = p.batch * IN_H * IN_W;
  let row0 = (t / col_blocks) * 4u;
  let ci0 = (t % col_blocks) * 4u;
  if (row0 >= rows) { return; }

  // Each input pixel's coordinates, one pixel per lane (rows past the end repeat the last pixel).
  // Plain vectors, not arrays: SwiftShader spills dynamically indexed arrays.
  let r = min(vec4u(row0) + vec4u(0u, 1u, 2u, 3u), vec4u(rows - 1u));
  let n = r / (IN_H * IN_W);
  let ty0 = vec4i(((r / IN_W) % IN_H) + PAD_TOP);
  let tx0 = vec4i((r % IN_W) + PAD_LEFT);
  let sh = vec4i(i32(STRIDE_H));
  let sw = vec4i(i32(STRIDE_W));
  let q = COUT / 4u;

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var ky = 0u; ky < K_H; ky++) {
    // Output row oy = (iy + padTop - ky) / strideH reaches iy through tap ky when exact and in range.
    let ty = ty0 - i32(ky);
    let oy = ty / sh;
    let row_hit = (ty >= vec4i(0)) & (ty % sh == vec4i(0)) & (oy < vec4i(i32(OUT_H)));
    for (var kx = 0u; kx < K_W; kx++) {
      let tx = tx0 - i32(kx);
      let ox = tx / sw;
      let hit = row_hit & (tx >= vec4i(0)) & (tx % sw == vec4i(0)) & (ox < vec4i(i32(OUT_W)));
      if (!any(hit)) { continue; }
      // In vec4 units: each pixel's dy row and this tap's kernel row for input channel ci0.
      let base = select(vec4u(0u), ((n * OUT_H + vec4u(oy)) * OUT_W + vec4u(ox)) * q, hit);
      let mask = select(vec4f(0.0), vec4f(1.0), hit);
      let k = ((ky * K_W + kx) * CIN + ci0) * q;
      for (var c4 = 0u; c4 < q; c4++) {
        let w0 = kernel[k + c4];
        let w1 = kernel[k + q + c4];
        let w2 = kernel[k + 2u * q + c4];
        let w3 = kernel[k + 3u * q + c4];
        let g0 = dy[base.x + c4] * mask.x;
        let g1 = dy[base.y + c4] * mask.y;
        let g2 = dy[base.z + c4] * mask.z;
        let g3 = dy[base.w + c4] * mask.w;
        acc0 += vec4f(dot(g0, w0), dot(g0, w1), dot(g0, w2), dot(g0, w3));
        acc1 += vec4f(dot(g1, w0), dot(g1, w1), dot(g1, w2), dot(g1, w3));
        acc2 += vec4f(dot(g2, w0), dot(g2, w1), dot(g2, w2), dot(g2, w3));
        acc3 += vec4f(dot(g3, w0), dot(g3, w1), dot(g3, w2), dot(g3, w3));
      }
    }
  }

  let col = ci0 / 4u;
  if (row0 < rows) { dx[row0 * col_blocks + col] = acc0; }
  if (row0 + 1u < rows) { dx[(row0 + 1u) * col_blocks + col] = acc1; }
  if (row0 + 2u < rows) { dx[(row0 + 2u) * col_blocks + col] = acc2; }
  if (row0 + 3u < rows) { dx[(row0 + 3u) * col_blocks + col] = acc3; }
}
