// 2-D pooling over NHWC, on a range [start, end) of output pixels (n * outH * outW + oy * outW +
// ox), channels the inner loop. Max pool keeps the first maximum in window order (strict >, NaN
// never wins), as ops/reference/maxPool2d.ts; average pool divides by the window's valid cells.
// The backward passes scatter, so threads may split them only where windows do not overlap.

/** y, argmax [N, outH, outW, C]: window max and the flat index into x of the winner. */
export function maxPoolForward(x: usize, y: usize, argmax: usize, c: i32, inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, start: i32, end: i32): void {
  const pixels = outH * outW;
  const vecEnd = c & ~3;
  const lanes = i32x4(0, 1, 2, 3);
  for (let r = start; r < end; r++) {
    const n = r / pixels;
    const oy = (r - n * pixels) / outW;
    const ox = r - n * pixels - oy * outW;
    const y0 = max(oy * strideH - padTop, 0);
    const y1 = min(oy * strideH - padTop + kH, inH);
    const x0 = max(ox * strideW - padLeft, 0);
    const x1 = min(ox * strideW - padLeft + kW, inW);
    const firstIdx = ((n * inH + y0) * inW + x0) * c;
    const out = <usize>r * <usize>c * 4;
    let ch = 0;
    for (; ch < vecEnd; ch += 4) {
      let best = v128.load(x + <usize>(firstIdx + ch) * 4);
      let at = i32x4.add(i32x4.splat(firstIdx + ch), lanes);
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++) {
          const idx = ((n * inH + iy) * inW + ix) * c + ch;
          const v = v128.load(x + <usize>idx * 4);
          const wins = f32x4.gt(v, best);
          best = v128.bitselect(v, best, wins);
          at = v128.bitselect(i32x4.add(i32x4.splat(idx), lanes), at, wins);
        }
      }
      v128.store(y + out + <usize>ch * 4, best);
      v128.store(argmax + out + <usize>ch * 4, at);
    }
    for (; ch < c; ch++) {
      let best = load<f32>(x + <usize>(firstIdx + ch) * 4);
      let at = firstIdx + ch;
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++) {
          const idx = ((n * inH + iy) * inW + ix) * c + ch;
          const v = load<f32>(x + <usize>idx * 4);
          if (v > best) {
            best = v;
            at = idx;
          }
        }
      }
      store<f32>(y + out + <usize>ch * 4, best);
      store<u32>(argmax + out + <usize>ch * 4, at);
    }
  }
}

/**
 * dx[argmax[o]] += dy[o] for o in [start, end) (flat output elements; dx of dxLength elements,
 * zeroed by the caller). An index past dx is skipped rather than written over a neighbour tensor.
 */
export function maxPoolGrad(dy: usize, argmax: usize, dx: usize, dxLength: u32, start: i32, end: i32): void {
  for (let o = start; o < end; o++) {
    const at = load<u32>(argmax + <usize>o * 4);
    if (at >= dxLength) continue;
    const p = dx + <usize>at * 4;
    store<f32>(p, load<f32>(p) + load<f32>(dy + <usize>o * 4));
  }
}

/** y [N, outH, outW, C] = mean of each window's valid cells, output pixels [start, end). */
export function avgPoolForward(x: usize, y: usize, c: i32, inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, start: i32, end: i32): void {
  const pixels = outH * outW;
  for (let r = start; r < end; r++) {
    const n = r / pixels;
    const oy = (r - n * pixels) / outW;
    const ox = r - n * pixels - oy * outW;
    const y0 = max(oy * strideH - padTop, 0);
    const y1 = min(oy * strideH - padTop + kH, inH);
    const x0 = max(ox * strideW - padLeft, 0);
    const x1 = min(ox * strideW - padLeft + kW, inW);
    const scale = <f32>1 / <f32>((y1 - y0) * (x1 - x0));
    const out = y + <usize>r * <usize>c * 4;
    memory.fill(out, 0, <usize>c * 4);
    for (let iy = y0; iy < y1; iy++) {
      for (let ix = x0; ix < x1; ix++) {
        const src = x + <usize>(((n * inH + iy) * inW + ix) * c) * 4;
        for (let ch = 0; ch < c; ch++) {
          const p = out + <usize>ch * 4;
          store<f32>(p, load<f32>(p) + load<f32>(src + <usize>ch * 4));
        }
      }
    }
    for (let ch = 0; ch < c; ch++) {
      const p = out + <usize>ch * 4;
      store<f32>(p, load<f32>(p) * scale);
    }
  }
}

/** dx += each output's gradient spread evenly over its window's valid cells, output pixels [start, end) (dx zeroed by the caller). */
export function avgPoolGrad(dy: usize, dx: usize, c: i32, inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, start: i32, end: i32): void {
  const pixels = outH * outW;
  for (let r = start; r < end; r++) {
    const n = r / pixels;
    const oy = (r - n * pixels) / outW;
    const ox = r - n * pixels - oy * outW;
    const y0 = max(oy * strideH - padTop, 0);
    const y1 = min(oy * strideH - padTop + kH, inH);
    const x0 = max(ox * strideW - padLeft, 0);
    const x1 = min(ox * strideW - padLeft + kW, inW);
    const scale = <f32>1 / <f32>((y1 - y0) * (x1 - x0));
    const g = dy + <usize>r * <usize>c * 4;
    for (let iy = y0; iy < y1; iy++) {
      for (let ix = x0; ix < x1; ix++) {
        const dst = dx + <usize>(((n * inH + iy) * inW + ix) * c) * 4;
        for (let ch = 0; ch < c; ch++) {
          const p = dst + <usize>ch * 4;
          store<f32>(p, load<f32>(p) + load<f32>(g + <usize>ch * 4) * scale);
        }
      }
    }
  }
}
