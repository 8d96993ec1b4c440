// Grouped, dilated Conv2D kernel gradient: dkernel[ky, kx, c, co] = the sum over N, outH, outW of
// the input element tap (ky, kx) read for channel c of co's group, times dy. One invocation per
// kernel element, each looping over every output pixel (kernels are small; outputs are not).
//   x       [N, H, W, inC]
//   dy      [N, outH, outW, outC]
//   dkernel [kH, kW, inC / groups, outC]
// Dispatch: 1-D over kH*kW*(inC/groups)*outC invocations, output channel fastest (neighbours
// read neighbouring dy values), folded by GpuRuntime.grid.
override WG: u32 = 64;

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32, dilation_h: u32, dilation_w: u32, groups: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dkernel: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let cin_g = p.cin / p.groups;
  if (t >= p.k_h * p.k_w * cin_g * p.cout) { return; }
  let co = t % p.cout;
  let cl = (t / p.cout) % cin_g;
  let tap = t / (p.cout * cin_g);
  let kx = tap % p.k_w;
  let ky = tap / p.k_w;
  let ci = (co / (p.cout / p.groups)) * cin_g + cl;

  var acc = 0.0;
  for (var n = 0u; n < p.batch; n++) {
    for (var oy = 0u; oy < p.out_h; oy++) {
      let iy = i32(oy * p.stride_h + ky * p.dilation_h) - i32(p.pad_top);
      if (iy < 0 || iy >= i32(p.in_h)) { continue; }
      for (var ox = 0u; ox < p.out_w; ox++) {
        let ix = i32(ox * p.stride_w + kx * p.dilation_w) - i32(p.pad_left);
        if (ix < 0 || ix >= i32(p.in_w)) { continue; }
        let xv = x[((n * p.in_h + u32(iy)) * p.in_w + u32(ix)) * p.cin + ci];
        acc += xv * dy[((n * p.out_h + oy) * p.out_w + ox) * p.cout + co];
      }
    }
  }
  dkernel[t] = acc;
}
