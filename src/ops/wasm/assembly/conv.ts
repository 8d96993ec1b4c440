// im2col and col2im for convolution as GEMM (NHWC input, patch columns in kernel order
// (ky, kx, ci), so the kernel [kH, kW, Cin, Cout] viewed as [K, Cout] multiplies the patch matrix).
// Both take an output-row range [r0, r1) (row = output pixel, n * outH * outW + oy * outW + ox) so
// threads can split a chunk; col points at the patch row of r0. col2imAdd scatters, so threads
// must split it by whole images (rows of different images touch disjoint parts of dx).

/** col[(r - r0) * K + ...] = patch of output row r; padded taps are zero. */
export function im2col(x: usize, col: usize, cin: i32, inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, r0: i32, r1: i32): void {
  const pixels = outH * outW;
  const tap = <usize>cin * 4;
  const rowBytes = <usize>kW * tap;
  let o = col;
  for (let r = r0; r < r1; r++) {
    const n = r / pixels;
    const oy = (r - n * pixels) / outW;
    const ox = r - n * pixels - oy * outW;
    const iy0 = oy * strideH - padTop;
    const ix0 = ox * strideW - padLeft;
    // The taps of one kernel row that fall inside the image are contiguous in x (NHWC).
    const kx0 = max(0, -ix0);
    const kx1 = min(kW, inW - ix0);
    for (let ky = 0; ky < kH; ky++, o += rowBytes) {
      const iy = iy0 + ky;
      if (iy < 0 || iy >= inH || kx0 >= kx1) {
        fill0(o, rowBytes);
        continue;
      }
      const before = <usize>kx0 * tap;
      const inside = <usize>(kx1 - kx0) * tap;
      if (before > 0) fill0(o, before);
      copy(o + before, x + (<usize>((n * inH + iy) * inW + ix0 + kx0)) * tap, inside);
      if (before + inside < rowBytes) fill0(o + before + inside, rowBytes - before - inside);
    }
  }
}

// Small copies and fills as inline loops: memory.copy/fill calls cost more than a few floats.
// @ts-ignore: decorator
@inline function copy(dst: usize, src: usize, bytes: usize): void {
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, v128.load(src + i));
  for (; i < bytes; i += 4) store<f32>(dst + i, load<f32>(src + i));
}

// @ts-ignore: decorator
@inline function fill0(dst: usize, bytes: usize): void {
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, f32x4.splat(0));
  for (; i < bytes; i += 4) store<f32>(dst + i, 0);
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
