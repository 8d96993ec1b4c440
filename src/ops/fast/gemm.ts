// Fast single-threaded GEMM over Float32Array: c[m, n] (+)= op(a) · op(b), then bias and an
// elementwise activation. The readable spec is ops/reference/matmul.ts; this is its fast twin.
//
// Shape of the algorithm (GotoBLAS, scaled down for a JIT): the k dimension is cut into blocks of
// KC, n into blocks of NC and m into blocks of MC. For each (k, n) block, B is packed into
// column panels NR wide, and for each m block A into row panels MR tall, both interleaved along k
// and stored as Float64Array, so the micro-kernel reads two contiguous streams with no index math
// and no float32→float64 conversions. Transposes are absorbed by the packing. The 4x4 micro-kernel
// keeps its 16 sums in locals (V8 keeps most of them in registers).
import { activate, type ElementwiseActivation } from '../activations';

export interface GemmOptions {
  /** a is stored [k, m] instead of [m, k]. */
  transA?: boolean;
  /** b is stored [n, k] instead of [k, n]. */
  transB?: boolean;
  /** c += op(a)·op(b) instead of c = op(a)·op(b). */
  accumulate?: boolean;
  /** Added to every row after the product: [n]. */
  bias?: Float32Array;
  /** Applied last, after the bias (and after accumulation). */
  activation?: ElementwiseActivation;
}

// The micro-kernel and packPanels' fast path are written for 4x4.
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 256;

/** Packing scratch, grown on demand and reused across calls (sizes are bounded by the blocks). */
export class GemmScratch {
  packA = new Float64Array(MC * KC);
  packB = new Float64Array(KC * NC);
}

const defaultScratch = new GemmScratch();

/** c[m, n] = act(op(a) · op(b) (+ c if accumulate) + bias). a: [m, k] or [k, m]; b: [k, n] or [n, k]. */
export function gemm(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  opts: GemmOptions = {},
  scratch: GemmScratch = defaultScratch,
): void {
  const { transA = false, transB = false, accumulate = false, bias, activation = 'linear' } = opts;
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new Error(`gemm: a ${a.length}, b ${b.length}, c ${c.length} elements are too few for m=${m} n=${n} k=${k}`);
  }
  if (!accumulate) c.fill(0, 0, m * n);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, transB, n, k, pc, kc, jc, nc, scratch.packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, transA, m, k, ic, mc, pc, kc, scratch.packA);
        macroKernel(scratch.packA, scratch.packB, c, n, ic, mc, jc, nc, kc);
      }
    }
  }
  epilogue(c, m, n, bias, activation);
}

/** Rows ic..ic+mc of op(a), columns pc..pc+kc, into panels of MR rows: ap[panel][p * MR + r]; short panels zero-padded. */
function packA(a: Float32Array, transA: boolean, m: number, k: number, ic: number, mc: number, pc: number, kc: number, ap: Float64Array): void {
  // op(a)[i, p] sits at a[i * rowStep + p * colStep].
  const rowStep = transA ? 1 : k;
  const colStep = transA ? m : 1;
  packPanels(a, ic, mc, pc, kc, rowStep, colStep, MR, ap);
}

/** Rows pc..pc+kc of op(b), columns jc..jc+nc, into panels of NR columns: bp[panel][p * NR + j]. */
function packB(b: Float32Array, transB: boolean, n: number, k: number, pc: number, kc: number, jc: number, nc: number, bp: Float64Array): void {
  // op(b)[p, j] sits at b[j * colStep + p * rowStep]; a B panel is packed like an A panel of op(b)ᵀ.
  const colStep = transB ? k : 1;
  const rowStep = transB ? 1 : n;
  packPanels(b, jc, nc, pc, kc, colStep, rowStep, NR, bp);
}

/**
 * Lines l0..l0+count (line stride lineStep) over positions p0..p0+kc (stride posStep), into
 * panels of 4 lines interleaved along p: out[panel][p * 4 + line]. Panels past the end are zero.
 */
function packPanels(src: Float32Array, l0: number, count: number, p0: number, kc: number, lineStep: number, posStep: number, width: number, out: Float64Array): void {
  let o = 0;
  for (let l = 0; l < count; l += width) {
    const lines = Math.min(width, count - l);
    let s0 = (l0 + l) * lineStep + p0 * posStep;
    if (lines === 4) {
      const s1 = lineStep, s2 = 2 * lineStep, s3 = 3 * lineStep;
      for (let p = 0; p < kc; p++, s0 += posStep, o += 4) {
        out[o] = src[s0];
        out[o + 1] = src[s0 + s1];
        out[o + 2] = src[s0 + s2];
        out[o + 3] = src[s0 + s3];
      }
      continue;
    }
    for (let p = 0; p < kc; p++, s0 += posStep, o += width) {
      for (let r = 0; r < width; r++) out[o + r] = r < lines ? src[s0 + r * lineStep] : 0;
    }
  }
}

function macroKernel(ap: Float64Array, bp: Float64Array, c: Float32Array, ldc: number, ic: number, mc: number, jc: number, nc: number, kc: number): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    const bOff = jr * kc;
    for (let ir = 0; ir < mc; ir += MR) {
      const rows = Math.min(MR, mc - ir);
      microKernel4x4(ap, ir * kc, bp, bOff, kc, c, (ic + ir) * ldc + jc + jr, ldc, rows, cols);
    }
  }
}

/** c[rows, cols] at cOff += A panel (MR x kc) · B panel (kc x NR). */
function microKernel4x4(
  ap: Float64Array,
  aOff: number,
  bp: Float64Array,
  bOff: number,
  kc: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
  rows: number,
  cols: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aOff;
  let bi = bOff;
  const end = aOff + kc * MR;
  for (; ai < end; ai += MR, bi += NR) {
    const a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
    const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (rows === MR && cols === NR) {
    let o = cOff;
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03;
    o += ldc;
    c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13;
    o += ldc;
    c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23;
    o += ldc;
    c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
    return;
  }
  // Edge tile: store only the valid corner.
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) c[cOff + r * ldc + j] += tile[r * NR + j];
  }
}

function epilogue(c: Float32Array, m: number, n: number, bias: Float32Array | undefined, activation: ElementwiseActivation): void {
  if (!bias && activation === 'linear') return;
  if (activation === 'relu') {
    for (let i = 0, o = 0; i < m; i++) {
      for (let j = 0; j < n; j++, o++) {
        const v = bias ? c[o] + bias[j] : c[o];
        c[o] = v > 0 ? v : 0;
      }
    }
    return;
  }
  for (let i = 0, o = 0; i < m; i++) {
    for (let j = 0; j < n; j++, o++) c[o] = activate(bias ? c[o] + bias[j] : c[o], activation);
  }
}
