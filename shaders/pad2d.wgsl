// A shifted window of an NHWC image with zeros outside it (ZeroPadding2D, Cropping2D and each
// other's gradient): y[n, i, j, c] = x[n, i - top, j - left, c] when that cell is inside
// x [N, H, W, C], else 0, for y [N, outH, outW, C]; top and left are negative when cropping.
// One thread per output element (n = N * outH * outW * C); reads and writes run along C.
// 1-D dispatch of ceil(n / WG) workgroups, folded into y when large (GpuRuntime.grid).
override WG: u32 = 256;

struct Params { n: u32, out_h: u32, out_w: u32, c: u32, h: i32, w: i32, top: i32, left: i32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let ch = i % params.c;
  let col = (i / params.c) % params.out_w;
  let row = (i / (params.c * params.out_w)) % params.out_h;
  let b = i / (params.c * params.out_w * params.out_h);
  let si = i32(row) - params.top;
  let sj = i32(col) - params.left;
  if (si < 0 || si >= params.h || sj < 0 || sj >= params.w) {
    y[i] = 0.0;
    return;
  }
  y[i] = x[((b * u32(params.h) + u32(si)) * u32(params.w) + u32(sj)) * params.c + ch];
}
