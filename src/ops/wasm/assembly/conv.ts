// im2col and col2im for convolution as GEMM (NHWC input, patch columns in kernel order
// (ky, kx, ci), so the kernel [kH, kW, Cin, Cout] viewed as [K, Cout] multiplies the patch matrix).
// Both take an output-row range [r0, r1) (row = output pixel, n * outH * outW + oy * outW + ox) so
// threads can split a chunk; col points at the patch row of r0. col2imAdd scatters, so threads
// must split it by whole images (rows of different images touch disjoint parts of dx).

/** col[(r - r0) * K + ...] = patch of output row r; padded taps are zero. */
export function im2col(x: usize, col: usize, cin: i32, inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, r0: i32, r1: i32): void {
  const pixels = outH * outW;
  const tap = <usize>cin * 4;
  let o = col;
  for (let r = r0; r < r1; r++) {
    const n = r / pixels;
    const oy = (r - n * pixels) / outW;
    const ox = r - n * pixels - oy * outW;
    const iy0 = oy * strideH - padTop;
    const ix0 = ox * strideW - padLeft;
    for (let ky = 0; ky < kH; ky++) {
      const iy = iy0 + ky;
      const rowInside = iy >= 0 && iy < inH;
      for (let kx = 0; kx < kW; kx++, o += tap) {
        const ix = ix0 + kx;
        if (rowInside && ix >= 0 && ix < inW) {
          const src = x + (<usize>((n * inH + iy) * inW + ix)) * tap;
          if (cin == 1) store<f32>(o, load<f32>(src));
          else memory.copy(o, src, tap);
        } else {
          memory.fill(o, 0, tap);
        }
      }
    }
  }
}

/** dx += each patch row of dcol (rows [r0, r1), dcol at the row of r0) added back where im2col read it. */
export function col2imAdd(dcol: usize, dx: usize, cin: i32, inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, r0: i32, r1: i32): void {
  const pixels = outH * outW;
  const tap = <usize>cin * 4;
  const vecEnd = <usize>(cin & ~3) * 4;
  let o = dcol;
  for (let r = r0; r < r1; r++) {
    const n = r / pixels;
    const oy = (r - n * pixels) / outW;
    const ox = r - n * pixels - oy * outW;
    const iy0 = oy * strideH - padTop;
    const ix0 = ox * strideW - padLeft;
    for (let ky = 0; ky < kH; ky++) {
      const iy = iy0 + ky;
      const rowInside = iy >= 0 && iy < inH;
      for (let kx = 0; kx < kW; kx++, o += tap) {
        const ix = ix0 + kx;
        if (!rowInside || ix < 0 || ix >= inW) continue;
        const dst = dx + (<usize>((n * inH + iy) * inW + ix)) * tap;
        let j: usize = 0;
        for (; j < vecEnd; j += 16) v128.store(dst + j, f32x4.add(v128.load(dst + j), v128.load(o + j)));
        for (; j < tap; j += 4) store<f32>(dst + j, load<f32>(dst + j) + load<f32>(o + j));
      }
    }
  }
}
