// Nearest-neighbour upsampling of an NHWC image (UpSampling2D): each cell of x [N, H, W, C]
// repeated as a size_h x size_w block, y[n, i, j, c] = x[n, i / size_h, j / size_w, c] for
// y [N, H * size_h, W * size_w, C]. One thread per output element (n of them); reads and writes
// run along C. 1-D dispatch of ceil(n / WG) workgroups, folded into y when large.
override WG: u32 = 256;

struct Params { n: u32, h: u32, w: u32, c: u32, size_h: u32, size_w: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let out_w = params.w * params.size_w;
  let out_h = params.h * params.size_h;
  let ch = i % params.c;
  let col = (i / params.c) % out_w;
  let row = (i / (params.c * out_w)) % out_h;
  let b = i / (params.c * out_w * out_h);
  y[i] = x[((b * params.h + row / params.size_h) * params.w + col / params.size_w) * params.c + ch];
}
