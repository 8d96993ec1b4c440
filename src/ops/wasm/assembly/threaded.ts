// Entry points for the worker pool: each takes `parts` and ends with the range [t0, t1) of part
// indices the pool hands this thread, works out its own rows from its part index, and uses the
// part's own scratch slot (scratch + t * slotBytes), so threads never share packing panels or
// patch matrices. Parts are cut the same way on every thread: rows [m * t / parts, m * (t + 1) / parts).
// Per output element the summation order is the one-thread order, so results are bit-identical.
import { gemm, gemmBlock, gemmScratchBytes, biasActivation } from './gemm';
import { im2col, col2imAdd } from './conv';

@inline function cut(total: i32, t: i32, parts: i32): i32 {
  return <i32>((<i64>total * <i64>t) / <i64>parts);
}

/** Rows of each part of c = act(op(a) · op(b) (+ c) + bias); bias 0 = none, act 0 linear / 1 relu / -1 no epilogue. */
export function gemmParts(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: i32, transB: i32, accumulate: i32, bias: usize, act: i32, scratch: usize, slotBytes: i32, parts: i32, t0: i32, t1: i32): void {
  for (let t = t0; t < t1; t++) {
    const r0 = cut(m, t, parts);
    const r1 = cut(m, t + 1, parts);
    gemm(a, b, c, m, n, k, transA, transB, accumulate, r0, r1, scratch + <usize>t * <usize>slotBytes);
    if (bias != 0 || act == 1) biasActivation(c, n, bias, act, r0, r1);
  }
}

/** Columns of each part of c = op(a) · op(b) (+ c), cut at multiples of 8 (the micro-kernel's width); for products with too few rows to split. */
export function gemmColParts(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: i32, transB: i32, accumulate: i32, scratch: usize, slotBytes: i32, parts: i32, t0: i32, t1: i32): void {
  const panels = (n + 7) / 8;
  for (let t = t0; t < t1; t++) {
    const j0 = min(n, cut(panels, t, parts) * 8);
    const j1 = min(n, cut(panels, t + 1, parts) * 8);
    gemmBlock(a, b, c, m, n, k, transA, transB, accumulate, 0, m, j0, j1, scratch + <usize>t * <usize>slotBytes);
  }
}

/** Conv forward over each part's output rows: im2col of `chunk` rows at a time, GEMM, epilogue. */
export function convForwardParts(x: usize, w: usize, y: usize, bias: usize, act: i32, cin: i32, inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, cout: i32, rows: i32, chunk: i32, scratch: usize, slotBytes: i32, parts: i32, t0: i32, t1: i32): void {
  const kk = kH * kW * cin;
  for (let t = t0; t < t1; t++) {
    const s = scratch + <usize>t * <usize>slotBytes;
    const col = s + <usize>gemmScratchBytes();
    const p0 = cut(rows, t, parts);
    const p1 = cut(rows, t + 1, parts);
    for (let r0 = p0; r0 < p1; r0 += chunk) {
      const r1 = min(p1, r0 + chunk);
      im2col(x, col, cin, inH, inW, outH, outW, kH, kW, strideH, strideW, padTop, padLeft, r0, r1);
      gemm(col, w, y + <usize>r0 * <usize>cout * 4, r1 - r0, cout, kk, 0, 0, 0, 0, r1 - r0, s);
    }
    if (bias != 0 || act == 1) biasActivation(y, cout, bias, act, p0, p1);
  }
}

/** Conv input gradient over each part's whole images: dx zeroed, then dcol = dy · Wᵀ and col2im per chunk. */
export function convGradInputParts(dy: usize, w: usize, dx: usize, cin: i32, inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, cout: i32, images: i32, chunk: i32, scratch: usize, slotBytes: i32, parts: i32, t0: i32, t1: i32): void {
  const kk = kH * kW * cin;
  const pixels = outH * outW;
  const image = inH * inW * cin;
  for (let t = t0; t < t1; t++) {
    const s = scratch + <usize>t * <usize>slotBytes;
    const dcol = s + <usize>gemmScratchBytes();
    const n0 = cut(images, t, parts);
    const n1 = cut(images, t + 1, parts);
    memory.fill(dx + <usize>n0 * <usize>image * 4, 0, <usize>(n1 - n0) * <usize>image * 4);
    const p1 = n1 * pixels;
    for (let r0 = n0 * pixels; r0 < p1; r0 += chunk) {
      const r1 = min(p1, r0 + chunk);
      gemm(dy + <usize>r0 * <usize>cout * 4, w, dcol, r1 - r0, kk, cout, 0, 1, 0, 0, r1 - r0, s);
      col2imAdd(dcol, dx, cin, inH, inW, outH, outW, kH, kW, strideH, strideW, padTop, padLeft, r0, r1);
    }
  }
}

/**
 * The conv filter gradient's chunks: chunk q (output rows [q * chunk, (q + 1) * chunk)) gives its
 * own partial dw = patchesᵀ · dy into partials + q * kk * cout floats (sumPartials adds them in
 * chunk order), so the result never depends on how many threads shared the chunks. Each part
 * takes a run of whole chunks, im2col and GEMM in its own scratch slot.
 */
export function convGradFilterParts(x: usize, dy: usize, partials: usize, cin: i32, inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, cout: i32, rows: i32, chunk: i32, scratch: usize, slotBytes: i32, parts: i32, t0: i32, t1: i32): void {
  const kk = kH * kW * cin;
  const chunks = (rows + chunk - 1) / chunk;
  for (let t = t0; t < t1; t++) {
    const s = scratch + <usize>t * <usize>slotBytes;
    const col = s + <usize>gemmScratchBytes();
    for (let q = cut(chunks, t, parts); q < cut(chunks, t + 1, parts); q++) {
      const r0 = q * chunk;
      const r1 = min(rows, r0 + chunk);
      im2col(x, col, cin, inH, inW, outH, outW, kH, kW, strideH, strideW, padTop, padLeft, r0, r1);
      gemm(col, dy + <usize>r0 * <usize>cout * 4, partials + <usize>q * <usize>kk * <usize>cout * 4, kk, cout, r1 - r0, 1, 0, 0, 0, kk, s);
    }
  }
}
