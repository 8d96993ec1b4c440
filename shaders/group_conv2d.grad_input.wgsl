// Grouped, dilated Conv2D input gradient: dx = the sum over the output pixels and channels each
// input element fed, one invocation per input element (a gather: no atomics, deterministic).
//   dy     [N, outH, outW, outC]
//   kernel [kH, kW, inC / groups, outC]
//   dx     [N, H, W, inC]
// An input row iy is tap ky of output row oy when iy + pad_top - ky * dilation_h = oy * stride_h.
// Dispatch: 1-D over N*H*W*inC invocations, input channel fastest, folded by GpuRuntime.grid.
override WG: u32 = 64;

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32, dilation_h: u32, dilation_w: u32, groups: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> kernel: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  if (t >= p.batch * p.in_h * p.in_w * p.cin) { return; }
  let ci = t % p.cin;
  let pixel = t / p.cin;
  let ix = pixel % p.in_w;
  let iy = (pixel / p.in_w) % p.in_h;
  let n = pixel / (p.in_w * p.in_h);
  let cin_g = p.cin / p.groups;
  let cout_g = p.cout / p.groups;
  let group = ci / cin_g;
  let cl = ci % cin_g;

  var acc = 0.0;
  for (var ky = 0u; ky < p.k_h; ky++) {
    let sy = i32(iy + p.pad_top) - i32(ky * p.dilation_h);
    if (sy < 0 || u32(sy) % p.stride_h != 0u) { continue; }
    let oy = u32(sy) / p.stride_h;
    if (oy >= p.out_h) { continue; }
    for (var kx = 0u; kx < p.k_w; kx++) {
      let sx = i32(ix + p.pad_left) - i32(kx * p.dilation_w);
      if (sx < 0 || u32(sx) % p.stride_w != 0u) { continue; }
      let ox = u32(sx) / p.stride_w;
      if (ox >= p.out_w) { continue; }
      let yb = ((n * p.out_h + oy) * p.out_w + ox) * p.cout + group * cout_g;
      let kb = ((ky * p.k_w + kx) * cin_g + cl) * p.cout + group * cout_g;
      for (var c = 0u; c < cout_g; c++) {
        acc += dy[yb + c] * kernel[kb + c];
      }
    }
  }
  dx[t] = acc;
}
