// Max pooling backward, gather form (no atomics): each dx cell sums dy over the windows that
// cover it and whose recorded winner it is.
//   dy     [N, outH, outW, C]
//   argmax [N, outH, outW, C]  u32 flat indices into x, from maxpool2d.forward
//   dx     [N, H, W, C]
// Windows covering input row iy: oy with oy*strideH - padTop <= iy < oy*strideH - padTop + kH,
// i.e. ceil((iy + padTop - kH + 1) / strideH) <= oy <= floor((iy + padTop) / strideH), clipped.
// Dispatch: 1-D over N*H*W*C invocations (channel fastest), folded into y by GpuRuntime.grid.
override WG: u32 = 256;

struct Params {
  batch: u32, in_h: u32, in_w: u32, c: u32,
  out_h: u32, out_w: u32, k_h: u32, k_w: u32,
  stride_h: u32, stride_w: u32, pad_top: u32, pad_left: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> argmax: array<u32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

// First and one-past-last output index whose window covers input index i.
fn covering(i: u32, k: u32, stride: u32, pad: u32, out_size: u32) -> vec2u {
  let t = i + pad;
  let lo = select(0u, (t + 1u - k + stride - 1u) / stride, t + 1u > k);
  let hi = min(t / stride + 1u, out_size);
  return vec2u(lo, hi);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= p.batch * p.in_h * p.in_w * p.c) { return; }
  let ch = i % p.c;
  let ix = (i / p.c) % p.in_w;
  let iy = (i / (p.c * p.in_w)) % p.in_h;
  let n = i / (p.c * p.in_w * p.in_h);
  let ys = covering(iy, p.k_h, p.stride_h, p.pad_top, p.out_h);
  let xs = covering(ix, p.k_w, p.stride_w, p.pad_left, p.out_w);
  var s = 0.0;
  for (var oy = ys.x; oy < ys.y; oy++) {
    for (var ox = xs.x; ox < xs.y; ox++) {
      let o = ((n * p.out_h + oy) * p.out_w + ox) * p.c + ch;
      if (argmax[o] == i) { s += dy[o]; }
    }
  }
  dx[i] = s;
}
