// Conv2D input gradient, gather form (no atomics): each dx element sums dy over the output
// positions whose window covers it, times the weight of the tap that connects them.
//   dy     [N, outH, outW, outC]  (gradient after any fused activation has been applied)
//   kernel [kH, kW, inC, outC]
//   dx     [N, H, W, inC]
// GEMM view: rows = N*H*W input pixels, cols = inC, reduction = kH*kW*outC. Input pixel (iy, ix) is
// reached by tap (ky, kx) from output (oy, ox) when oy*strideH + ky - padTop = iy, i.e. when
// iy + padTop - ky is a non-negative multiple of strideH with quotient < outH (same along x).
// Each invocation owns PIX consecutive input pixels x 4 input channels in PIX vec4 accumulators.
// Dispatch: 1-D over ceil(rows / PIX) * ceil(inC / 4) invocations, channel block fastest, folded
// into y by GpuRuntime.grid.
override WG: u32 = 64;
const PIX: u32 = 4u;

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> kernel: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

// Output coordinate reached from input coordinate `i` by tap `k`, or -1 when none is.
fn source_of(i: u32, k: u32, pad: u32, stride: u32, out_size: u32) -> i32 {
  let t = i32(i + pad) - i32(k);
  if (t < 0 || t % i32(stride) != 0) { return -1; }
  let o = t / i32(stride);
  return select(-1, o, o < i32(out_size));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let col_blocks = (p.cin + 3u) / 4u;
  let rows = p.batch * p.in_h * p.in_w;
  let row0 = (t / col_blocks) * PIX;
  let ci0 = (t % col_blocks) * 4u;
  if (row0 >= rows) { return; }
  // Channels past inC read the last one; they are never written.
  let ci = min(vec4u(ci0, ci0 + 1u, ci0 + 2u, ci0 + 3u), vec4u(p.cin - 1u));

  var n: array<u32, PIX>;
  var iy: array<u32, PIX>;
  var ix: array<u32, PIX>;
  for (var j = 0u; j < PIX; j++) {
    let r = min(row0 + j, rows - 1u);
    n[j] = r / (p.in_h * p.in_w);
    iy[j] = (r / p.in_w) % p.in_h;
    ix[j] = r % p.in_w;
  }

  var acc: array<vec4f, PIX>;
  for (var ky = 0u; ky < p.k_h; ky++) {
    for (var kx = 0u; kx < p.k_w; kx++) {
      var base: array<u32, PIX>;
      var mask: array<f32, PIX>;
      var any_in = false;
      for (var j = 0u; j < PIX; j++) {
        let oy = source_of(iy[j], ky, p.pad_top, p.stride_h, p.out_h);
        let ox = source_of(ix[j], kx, p.pad_left, p.stride_w, p.out_w);
        let hit = oy >= 0 && ox >= 0;
        base[j] = select(0u, ((n[j] * p.out_h + u32(oy)) * p.out_w + u32(ox)) * p.cout, hit);
        mask[j] = select(0.0, 1.0, hit);
        any_in = any_in || hit;
      }
      if (!any_in) { continue; }
      // Rows of this tap's [inC, outC] block for the 4 channels.
      let k = (ky * p.k_w + kx) * p.cin * p.cout + ci * p.cout;
      for (var co = 0u; co < p.cout; co++) {
        let w = vec4f(kernel[k.x + co], kernel[k.y + co], kernel[k.z + co], kernel[k.w + co]);
        for (var j = 0u; j < PIX; j++) {
          acc[j] += (dy[base[j] + co] * mask[j]) * w;
        }
      }
    }
  }

  for (var j = 0u; j < PIX; j++) {
    let r = row0 + j;
    if (r >= rows) { break; }
    for (var l = 0u; l < 4u && ci0 + l < p.cin; l++) {
      dx[r * p.cin + ci0 + l] = acc[j][l];
    }
  }
}
