// Grouped, dilated Conv2D forward: y = conv(x, kernel) + bias, NHWC like Keras, one invocation
// per output element. Plain convs (one group, dilation 1) run the tiled conv2d.forward kernels.
//   x      [N, H, W, inC]
//   kernel [kH, kW, inC / groups, outC]; output channel co reads its group's input channels
//   bias   [outC]   (any buffer when has_bias is 0)
//   y      [N, outH, outW, outC]
// Dispatch: 1-D over N*outH*outW*outC invocations, output channel fastest (coalesced writes and
// kernel reads; neighbours read the same input pixel), folded into y by GpuRuntime.grid.
override WG: u32 = 64;

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32, dilation_h: u32, dilation_w: u32, groups: u32,
  has_bias: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> kernel: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  if (t >= p.batch * p.out_h * p.out_w * p.cout) { return; }
  let co = t % p.cout;
  let pixel = t / p.cout;
  let ox = pixel % p.out_w;
  let oy = (pixel / p.out_w) % p.out_h;
  let n = pixel / (p.out_w * p.out_h);
  let cin_g = p.cin / p.groups;
  let c0 = (co / (p.cout / p.groups)) * cin_g;

  var acc = 0.0;
  for (var ky = 0u; ky < p.k_h; ky++) {
    let iy = i32(oy * p.stride_h + ky * p.dilation_h) - i32(p.pad_top);
    if (iy < 0 || iy >= i32(p.in_h)) { continue; }
    for (var kx = 0u; kx < p.k_w; kx++) {
      let ix = i32(ox * p.stride_w + kx * p.dilation_w) - i32(p.pad_left);
      if (ix < 0 || ix >= i32(p.in_w)) { continue; }
      let xb = ((n * p.in_h + u32(iy)) * p.in_w + u32(ix)) * p.cin + c0;
      let kb = (ky * p.k_w + kx) * cin_g * p.cout + co;
      for (var c = 0u; c < cin_g; c++) {
        acc += x[xb + c] * kernel[kb + c * p.cout];
      }
    }
  }
  if (p.has_bias != 0u) { acc += bias[co]; }
  y[t] = acc;
}
