// GEMM kernel: C[m, n] (+)= op(A) · op(B), for the rows [rowStart, rowEnd) of C only, so a pool of
// threads can split one product into disjoint row ranges. All arguments are byte offsets into the
// imported memory and element counts.
//
// GotoBLAS shape: k is cut into blocks of KC, n into blocks of NC, the row range into blocks of
// MC. For each (k, n) block B is packed into column panels NR = 8 wide and, per m block, A into
// row panels MR = 4 tall, both interleaved along k, so the 4x8 micro-kernel streams two
// contiguous arrays: per k step two f32x4 loads of B, four splats of A, eight multiply-adds into
// eight f32x4 accumulators (registers). Transposes are absorbed by the packing; short panels are
// zero-padded and only the valid corner of an edge tile is stored.
export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 512;
export const MC: i32 = 64;
export const NC: i32 = 512;

/** Bytes of per-thread scratch gemm needs: packed A, packed B, one edge tile. */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/**
 * Rows [rowStart, rowEnd) of c [m, n] = op(a) · op(b) (+ c when accumulate). a: [m, k], or [k, m]
 * when transA; b: [k, n], or [n, k] when transB. scratch: gemmScratchBytes() bytes of this thread's own.
 */
export function gemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: i32, transB: i32, accumulate: i32, rowStart: i32, rowEnd: i32, scratch: usize): void {
  gemmBlock(a, b, c, m, n, k, transA, transB, accumulate, rowStart, rowEnd, 0, n, scratch);
}

/** gemm over rows [rowStart, rowEnd) and columns [colStart, colEnd) of c only (a column split for products with few rows). */
export function gemmBlock(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: i32, transB: i32, accumulate: i32, rowStart: i32, rowEnd: i32, colStart: i32, colEnd: i32, scratch: usize): void {
  const packA = scratch;
  const packB = scratch + <usize>(MC * KC * 4);
  const tile = packB + <usize>(KC * NC * 4);
  if (k == 0) {
    if (accumulate) return;
    for (let r = rowStart; r < rowEnd; r++) memory.fill(c + (<usize>r * <usize>n + <usize>colStart) * 4, 0, <usize>(colEnd - colStart) * 4);
    return;
  }
  for (let jc = colStart; jc < colEnd; jc += NC) {
    const nc = min(NC, colEnd - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      // op(b)[p, j] sits at b[j * lineStep + p * posStep]: a B panel is an A panel of op(b)ᵀ.
      if (transB) packPanels(b, jc, nc, pc, kc, k, 1, NR, packB);
      else packPanels(b, jc, nc, pc, kc, 1, n, NR, packB);
      const first = pc == 0 && !accumulate;
      for (let ic = rowStart; ic < rowEnd; ic += MC) {
        const mc = min(MC, rowEnd - ic);
        if (transA) packPanels(a, ic, mc, pc, kc, 1, m, MR, packA);
        else packPanels(a, ic, mc, pc, kc, k, 1, MR, packA);
        macroKernel(packA, packB, tile, c, n, ic, mc, jc, nc, kc, first);
      }
    }
  }
}

/**
 * Lines l0..l0+count (element stride lineStep) over positions p0..p0+kc (stride posStep), into
 * panels of `width` lines interleaved along p: out[panel][p * width + line]; missing lines are zero.
 */
function packPanels(src: usize, l0: i32, count: i32, p0: i32, kc: i32, lineStep: i32, posStep: i32, width: i32, out: usize): void {
  for (let l = 0; l < count; l += width) {
    const lines = min(width, count - l);
    let s = src + (<usize>(l0 + l) * <usize>lineStep + <usize>p0 * <usize>posStep) * 4;
    const sStep = <usize>posStep * 4;
    if (lines == width && lineStep == 1) {
      // Lines contiguous in memory: whole vectors.
      for (let p = 0; p < kc; p++, s += sStep) {
        for (let r = 0; r < width; r += 4, out += 16) v128.store(out, v128.load(s + <usize>r * 4));
      }
      continue;
    }
    const lStep = <usize>lineStep * 4;
    if (lines == width && width == 4 && posStep == 1) {
      // Four rows contiguous along p: 4x4 blocks transposed in registers.
      let p = 0;
      for (; p + 4 <= kc; p += 4, s += 16, out += 64) {
        const r0 = v128.load(s);
        const r1 = v128.load(s + lStep);
        const r2 = v128.load(s + 2 * lStep);
        const r3 = v128.load(s + 3 * lStep);
        const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
        const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
        const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
        v128.store(out, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
        v128.store(out, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
        v128.store(out, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
        v128.store(out, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
      }
      for (; p < kc; p++, s += 4, out += 16) {
        store<f32>(out, load<f32>(s));
        store<f32>(out, load<f32>(s + lStep), 4);
        store<f32>(out, load<f32>(s + 2 * lStep), 8);
        store<f32>(out, load<f32>(s + 3 * lStep), 12);
      }
      continue;
    }
    if (lines == width && width == 4) {
      for (let p = 0; p < kc; p++, s += sStep, out += 16) {
        store<f32>(out, load<f32>(s));
        store<f32>(out, load<f32>(s + lStep), 4);
        store<f32>(out, load<f32>(s + 2 * lStep), 8);
        store<f32>(out, load<f32>(s + 3 * lStep), 12);
      }
      continue;
    }
    for (let p = 0; p < kc; p++, s += sStep) {
      let r = 0;
      for (let q = s; r < lines; r++, q += lStep, out += 4) store<f32>(out, load<f32>(q));
      for (; r < width; r++, out += 4) store<f32>(out, 0);
    }
  }
}

function macroKernel(ap: usize, bp: usize, tile: usize, c: usize, n: i32, ic: i32, mc: i32, jc: i32, nc: i32, kc: i32, first: bool): void {
  const ldc = <usize>n * 4;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const b = bp + <usize>jr * <usize>kc * 4;
    for (let ir = 0; ir < mc; ir += MR) {
      const rows = min(MR, mc - ir);
      const cOff = c + (<usize>(ic + ir) * <usize>n + <usize>(jc + jr)) * 4;
      microKernel(ap + <usize>ir * <usize>kc * 4, b, kc, cOff, ldc, rows, cols, first, tile);
    }
  }
}

// @ts-ignore: decorator
@inline function put(p: usize, v: v128, first: bool): void {
  v128.store(p, first ? v : f32x4.add(v128.load(p), v));
}

/** c[rows, cols] at c (+)= A panel (4 x kc) · B panel (kc x 8). */
/** c + a·b: one fused multiply-add where the build has relaxed SIMD (rounding once, as FMA does), else a multiply and an add. */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

function microKernel(a: usize, b: usize, kc: i32, c: usize, ldc: usize, rows: i32, cols: i32, first: bool, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++, a += 16, b += 32) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
  }
  if (rows == MR && cols == NR) {
    put(c, c00, first);
    put(c + 16, c01, first);
    c += ldc;
    put(c, c10, first);
    put(c + 16, c11, first);
    c += ldc;
    put(c, c20, first);
    put(c + 16, c21, first);
    c += ldc;
    put(c, c30, first);
    put(c + 16, c31, first);
    return;
  }
  // Edge tile: spill to this thread's tile, store only the valid corner.
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
  for (let r = 0; r < rows; r++, c += ldc) {
    const t = tile + <usize>r * 32;
    for (let j = 0; j < cols; j++) {
      const p = c + <usize>j * 4;
      const v = load<f32>(t + <usize>j * 4);
      store<f32>(p, first ? v : load<f32>(p) + v);
    }
  }
}

/** Rows [rowStart, rowEnd) of c [*, n]: c = act(c + bias) with act 0 linear, 1 relu; bias 0 = none. */
export function biasActivation(c: usize, n: i32, bias: usize, act: i32, rowStart: i32, rowEnd: i32): void {
  const zero = f32x4.splat(0);
  const vecEnd = n & ~3;
  for (let r = rowStart; r < rowEnd; r++) {
    const row = c + <usize>r * <usize>n * 4;
    let j = 0;
    for (; j < vecEnd; j += 4) {
      const p = row + <usize>j * 4;
      let v = v128.load(p);
      if (bias) v = f32x4.add(v, v128.load(bias + <usize>j * 4));
      if (act == 1) v = f32x4.pmax(zero, v); // 0 < v ? v : 0, as the reference (NaN and -0 give 0)
      v128.store(p, v);
    }
    for (; j < n; j++) {
      const p = row + <usize>j * 4;
      let v = load<f32>(p);
      if (bias) v += load<f32>(bias + <usize>j * 4);
      if (act == 1) v = v > 0 ? v : 0;
      store<f32>(p, v);
    }
  }
}
