// Conv2D filter gradient, split-K pass 1, vec4 variant for inC % 4 == 0 and outC % 4 == 0: same
// math, layouts, partials and dispatch as conv2d.grad_filter.wgsl. A block's 4 filter rows are 4
// consecutive input channels of one tap, so per row of dy it loads one vec4 of x and one of dy
// (the scalar kernel needs 8 loads) for 16 FMAs.
//   x        [N, H, W, inC]           as vec4 [N, H, W, inC/4]
//   dy       [N, outH, outW, outC]    as vec4 [N, outH, outW, outC/4]
//   partials [splits, kH*kW*inC, outC] as vec4, summed by conv2d.grad_filter_sum.wgsl
// Dispatch: 1-D over splits * (M / 4) * (outC / 4) invocations, folded into y by GpuRuntime.grid.
override WG: u32 = 64;

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32, chunk: u32, splits: u32,
}

@group(0) @binding(0) var<storage, read> x: array<vec4f>;
@group(0) @binding(1) var<storage, read> dy: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> partials: array<vec4f>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let m_total = p.k_h * p.k_w * p.cin;
  let col_blocks = (p.cout + 3u) / 4u;
  let m_blocks = (m_total + 3u) / 4u;
  let split = t / (col_blocks * m_blocks);
  if (split >= p.splits) { return; }
  let m0 = ((t / col_blocks) % m_blocks) * 4u;
  let co0 = (t % col_blocks) * 4u;
  // This block's tap and first input channel (its 4 rows are channels ci0..ci0+3 of the tap).
  let ci0 = m0 % p.cin;
  let tap_x = i32((m0 / p.cin) % p.k_w) - i32(p.pad_left);
  let tap_y = i32(m0 / (p.cin * p.k_w)) - i32(p.pad_top);
  let cin4 = p.cin / 4u;
  let cout4 = p.cout / 4u;

  let rows = p.batch * p.out_h * p.out_w;
  let r_begin = split * p.chunk;
  let r_end = min(r_begin + p.chunk, rows);
  var ox = r_begin % p.out_w;
  var oy = (r_begin / p.out_w) % p.out_h;
  var n = r_begin / (p.out_w * p.out_h);
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var r = r_begin; r < r_end; r++) {
    let iy = i32(oy * p.stride_h) + tap_y;
    let ix = i32(ox * p.stride_w) + tap_x;
    if (iy >= 0 && iy < i32(p.in_h) && ix >= 0 && ix < i32(p.in_w)) {
      let d = dy[r * cout4 + co0 / 4u];
      let xv = x[((n * p.in_h + u32(iy)) * p.in_w + u32(ix)) * cin4 + ci0 / 4u];
      acc0 += xv.x * d;
      acc1 += xv.y * d;
      acc2 += xv.z * d;
      acc3 += xv.w * d;
    }
    ox += 1u;
    if (ox == p.out_w) {
      ox = 0u;
      oy += 1u;
      if (oy == p.out_h) { oy = 0u; n += 1u; }
    }
  }

  let out = (split * m_total * p.cout + m0 * p.cout + co0) / 4u;
  partials[out] = acc0;
  partials[out + cout4] = acc1;
  partials[out + 2u * cout4] = acc2;
  partials[out + 3u * cout4] = acc3;
}
