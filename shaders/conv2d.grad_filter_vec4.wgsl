// Conv2D filter gradient, split-K pass 1, vec4 variant for inC % 4 == 0 and outC % 4 == 0: same
// math, layouts and partials as conv2d.grad_filter.wgsl, but the reduction is split into chunks
// of whole output rows (n, oy) rather than pixels. A block's 4 filter rows are 4 consecutive input
// channels of one tap; per output row the range of ox whose tap lands inside the image is worked
// out once, so the inner loop over ox has no bounds tests, divisions or multiplies: one vec4 load
// of x and one of dy (both indices step by a constant) feed 16 FMAs.
//   x        [N, H, W, inC]           as vec4 [N, H, W, inC/4]
//   dy       [N, outH, outW, outC]    as vec4 [N, outH, outW, outC/4]
//   partials [splits, kH*kW*inC, outC] as vec4, summed by conv2d.grad_filter_sum.wgsl
// Dispatch: 1-D over splits * (M / 4) * (outC / 4) invocations (channel block fastest, then
// filter-row block, then split), folded into y by GpuRuntime.grid. `chunk` counts output rows.
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
  let m_total = K_H * K_W * CIN;
  let cout4 = COUT / 4u;
  let cin4 = CIN / 4u;
  let m_blocks = m_total / 4u;
  let split = t / (cout4 * m_blocks);
  if (split >= p.splits) { return; }
  let m0 = ((t / cout4) % m_blocks) * 4u;
  let c4 = t % cout4;
  // This block's tap (relative to a window's top-left corner) and first input channel.
  let ci4 = (m0 % CIN) / 4u;
  let tap = m0 / CIN;
  let tap_x = i32(tap % K_W) - i32(PAD_LEFT);
  let tap_y = i32(tap / K_W) - i32(PAD_TOP);
  // Output columns whose tap lands inside the image: ox_lo <= ox < ox_hi.
  let sw = i32(STRIDE_W);
  let ox_lo = u32(max((-tap_x + sw - 1) / sw, 0));
  let ox_hi = u32(clamp((i32(IN_W) - tap_x + sw - 1) / sw, 0, i32(OUT_W)));
  let x_step = STRIDE_W * cin4;

  let out_rows = p.batch * OUT_H;
  let r_begin = split * p.chunk;
  let r_end = min(r_begin + p.chunk, out_rows);
  var n = r_begin / OUT_H;
  var oy = r_begin - n * OUT_H;
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var r = r_begin; r < r_end; r++) {
    let iy = i32(oy * STRIDE_H) + tap_y;
    if (iy >= 0 && iy < i32(IN_H)) {
      var di = (r * OUT_W + ox_lo) * cout4 + c4;
      var xi = ((n * IN_H + u32(iy)) * IN_W + u32(i32(ox_lo) * sw + tap_x)) * cin4 + ci4;
      for (var ox = ox_lo; ox < ox_hi; ox++) {
        let d = dy[di];
        let xv = x[xi];
        acc0 += xv.x * d;
        acc1 += xv.y * d;
        acc2 += xv.z * d;
        acc3 += xv.w * d;
        di += cout4;
        xi += x_step;
      }
    }
    oy += 1u;
    if (oy == OUT_H) { oy = 0u; n += 1u; }
  }

  let out = (split * m_total + m0) * cout4 + c4;
  partials[out] = acc0;
  partials[out + cout4] = acc1;
  partials[out + 2u * cout4] = acc2;
  partials[out + 3u * cout4] = acc3;
}
