// Conv2D forward as an implicit GEMM: y = activate(conv(x, kernel) + bias), NHWC like Keras.
//   x      [N, H, W, inC]
//   kernel [kH, kW, inC, outC]
//   bias   [outC]   (any buffer when has_bias is 0)
//   y      [N, outH, outW, outC]
// GEMM view: rows = N*outH*outW output pixels, cols = outC, reduction = kH*kW*inC, read straight
// from x (no im2col buffer). Each invocation owns PIX consecutive pixels x 4 output channels in PIX
// vec4 accumulators: per reduction step it loads PIX inputs and one vec4 of weights (16 FMAs).
// Kernel taps that fall in the padding are skipped for the whole block when no pixel needs them.
// Dispatch: 1-D over ceil(rows / PIX) * ceil(outC / 4) invocations, channel block fastest (so
// neighbours share inputs and read neighbouring weights), folded into y by GpuRuntime.grid.
override WG: u32 = 64;
const PIX: u32 = 4u;

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32, activation: u32, has_bias: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> kernel: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let col_blocks = (p.cout + 3u) / 4u;
  let rows = p.batch * p.out_h * p.out_w;
  let row0 = (t / col_blocks) * PIX;
  let co0 = (t % col_blocks) * 4u;
  if (row0 >= rows) { return; }
  // Channels past outC read the last one; they are never written.
  let co = min(vec4u(co0, co0 + 1u, co0 + 2u, co0 + 3u), vec4u(p.cout - 1u));

  // Top-left input corner of each pixel's window (rows past the end repeat the last pixel).
  var n: array<u32, PIX>;
  var iy0: array<i32, PIX>;
  var ix0: array<i32, PIX>;
  for (var j = 0u; j < PIX; j++) {
    let r = min(row0 + j, rows - 1u);
    n[j] = r / (p.out_h * p.out_w);
    iy0[j] = i32(((r / p.out_w) % p.out_h) * p.stride_h) - i32(p.pad_top);
    ix0[j] = i32((r % p.out_w) * p.stride_w) - i32(p.pad_left);
  }

  var acc: array<vec4f, PIX>;
  for (var ky = 0u; ky < p.k_h; ky++) {
    for (var kx = 0u; kx < p.k_w; kx++) {
      // Where each pixel's tap lands in x, and a 0/1 mask for taps in the padding.
      var base: array<u32, PIX>;
      var mask: array<f32, PIX>;
      var any_in = false;
      for (var j = 0u; j < PIX; j++) {
        let iy = iy0[j] + i32(ky);
        let ix = ix0[j] + i32(kx);
        let inside = iy >= 0 && iy < i32(p.in_h) && ix >= 0 && ix < i32(p.in_w);
        base[j] = select(0u, ((n[j] * p.in_h + u32(iy)) * p.in_w + u32(ix)) * p.cin, inside);
        mask[j] = select(0.0, 1.0, inside);
        any_in = any_in || inside;
      }
      if (!any_in) { continue; }
      var k = (ky * p.k_w + kx) * p.cin * p.cout;
      for (var ci = 0u; ci < p.cin; ci++) {
        let w = vec4f(kernel[k + co.x], kernel[k + co.y], kernel[k + co.z], kernel[k + co.w]);
        for (var j = 0u; j < PIX; j++) {
          acc[j] += (x[base[j] + ci] * mask[j]) * w;
        }
        k += p.cout;
      }
    }
  }

  var b = vec4f(0.0);
  if (p.has_bias != 0u) { b = vec4f(bias[co.x], bias[co.y], bias[co.z], bias[co.w]); }
  for (var j = 0u; j < PIX; j++) {
    let r = row0 + j;
    if (r >= rows) { break; }
    let v = acc[j] + b;
    for (var l = 0u; l < 4u && co0 + l < p.cout; l++) {
      y[r * p.cout + co0 + l] = activate(v[l], p.activation);
    }
  }
}
