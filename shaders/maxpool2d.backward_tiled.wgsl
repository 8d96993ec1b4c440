// Max pooling backward when the windows tile the input exactly (strides == pool size, no padding,
// outH * kH == H and outW * kW == W: the seed CNN's 2x2 pools) and C % 4 == 0. Each invocation owns
// one window and 4 channels: it writes every cell of its window, dy to the recorded winner and 0
// elsewhere, so no cell searches for covering windows (maxpool2d.backward.wgsl, the general path,
// needs several divisions and a window search per input cell).
//   dy     [N, outH, outW, C]  as vec4 [N, outH, outW, C/4]
//   argmax [N, outH, outW, C]  u32 flat indices into x, as vec4u
//   dx     [N, H, W, C]        as vec4 [N, H, W, C/4]
// Dispatch: 1-D over N*outH*outW*C/4 invocations (channel block fastest), folded into y by
// GpuRuntime.grid.
override WG: u32 = 256;

struct Params {
  batch: u32, in_h: u32, in_w: u32, c: u32,
  out_h: u32, out_w: u32, k_h: u32, k_w: u32,
  stride_h: u32, stride_w: u32, pad_top: u32, pad_left: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<vec4f>;
@group(0) @binding(1) var<storage, read> argmax: array<vec4u>;
@group(0) @binding(2) var<storage, read_write> dx: array<vec4f>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let c4 = p.c / 4u;
  if (t >= p.batch * p.out_h * p.out_w * c4) { return; }
  let q = t / c4;               // output pixel
  let ch = (t - q * c4) * 4u;   // first channel
  let row = q / p.out_w;        // n * outH + oy; the window's top input row is row * kH
  let ox = q - row * p.out_w;
  // Flat x index of the window's top-left cell, channel ch.
  let corner = (row * p.k_h * p.in_w + ox * p.k_w) * p.c + ch;
  let g = dy[t];
  let winner = argmax[t];
  let lanes = vec4u(0u, 1u, 2u, 3u);
  for (var ky = 0u; ky < p.k_h; ky++) {
    var i = corner + ky * p.in_w * p.c;
    for (var kx = 0u; kx < p.k_w; kx++) {
      dx[i / 4u] = select(vec4f(0.0), g, winner == vec4u(i) + lanes);
      i += p.c;
    }
  }
}
