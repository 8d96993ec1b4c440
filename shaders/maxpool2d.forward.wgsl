// Max pooling forward, NHWC: y and, per output, the flat index into x of the window's winner.
//   x      [N, H, W, C]
//   y      [N, outH, outW, C]
//   argmax [N, outH, outW, C]  u32, flat index into x (what maxpool2d.backward routes dy to)
// Padded cells never win. Ties: the first maximum in window order (rows top to bottom, then
// columns left to right) wins, as in the CPU reference src/ops/reference/maxPool2d.ts.
// Dispatch: 1-D over N*outH*outW*C invocations (channel fastest: coalesced), folded into y by
// GpuRuntime.grid.
override WG: u32 = 256;
// 0 in inference: argmax is then a placeholder and not written.
override WRITE_ARGMAX: bool = true;

struct Params {
  batch: u32, in_h: u32, in_w: u32, c: u32,
  out_h: u32, out_w: u32, k_h: u32, k_w: u32,
  stride_h: u32, stride_w: u32, pad_top: u32, pad_left: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> argmax: array<u32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let o = flat_index(wid, nwg, lid, WG);
  if (o >= p.batch * p.out_h * p.out_w * p.c) { return; }
  let ch = o % p.c;
  let ox = (o / p.c) % p.out_w;
  let oy = (o / (p.c * p.out_w)) % p.out_h;
  let n = o / (p.c * p.out_w * p.out_h);
  // The window's valid cells: [y0, y1) x [x0, x1), never empty under Keras padding.
  let top = i32(oy * p.stride_h) - i32(p.pad_top);
  let left = i32(ox * p.stride_w) - i32(p.pad_left);
  let y0 = u32(max(top, 0));
  let y1 = u32(min(top + i32(p.k_h), i32(p.in_h)));
  let x0 = u32(max(left, 0));
  let x1 = u32(min(left + i32(p.k_w), i32(p.in_w)));

  var best_index = ((n * p.in_h + y0) * p.in_w + x0) * p.c + ch;
  var best = x[best_index];
  for (var iy = y0; iy < y1; iy++) {
    for (var ix = x0; ix < x1; ix++) {
      let i = ((n * p.in_h + iy) * p.in_w + ix) * p.c + ch;
      if (x[i] > best) {
        best = x[i];
        best_index = i;
      }
    }
  }
  y[o] = best;
  if (WRITE_ARGMAX) { argmax[o] = best_index; }
}
