// Fast CPU 2-D convolution (NHWC, kernel [kH, kW, Cin, Cout]) and its two gradients, as im2col +
// gemm. The readable spec is ops/reference/conv2d.ts. Output pixels are processed in chunks of rows
// so the patch matrix lives in one reusable scratch buffer of bounded size, whatever the batch.
//
// The patch matrix `col` is [rows, K] with K = kH * kW * Cin, its columns in kernel order
// (ky, kx, ci), so the kernel viewed as [K, Cout] multiplies it directly:
//   forward     y[rows, Cout]  = col · W                (+ bias, activation)
//   grad input  dcol[rows, K]  = dy · Wᵀ, then scattered back onto dx (col2im)
//   grad filter dW[K, Cout]   += colᵀ · dy
import type { ElementwiseActivation } from '../activations';
import type { Geometry2D } from '../shapes';
import { gemm, GemmScratch } from './gemm';

/** Reusable buffers for the conv ops; one per thread of work. */
export class ConvScratch {
  col = new Float32Array(0);
  gemm = new GemmScratch();

  /** A patch buffer of at least n floats. */
  colBuffer(n: number): Float32Array {
    if (this.col.length < n) this.col = new Float32Array(n);
    return this.col;
  }
}

/** Target size of one chunk of the patch matrix, in floats (512 KiB: stays in L2 beside the packs). */
const CHUNK_FLOATS = 1 << 17;

let sharedScratch: ConvScratch | null = null;
/** A lazily created scratch for callers that pass none (a pure cache: never observable). */
function defaultScratch(): ConvScratch {
  sharedScratch ??= new ConvScratch();
  return sharedScratch;
}

function rowsPerChunk(k: number, totalRows: number): number {
  return Math.max(1, Math.min(totalRows, Math.floor(CHUNK_FLOATS / k)));
}

/** True when the input itself is the patch matrix (1x1 window, stride 1, no padding). */
function isPointwise(g: Geometry2D): boolean {
  return g.kH === 1 && g.kW === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0;
}

/** col[r - r0, :] = the patch of output row r, for r in [r0, r1); padded taps are zero. */
function im2col(x: Float32Array, cin: number, g: Geometry2D, r0: number, r1: number, col: Float32Array): void {
  const k = g.kH * g.kW * cin;
  const pixels = g.outH * g.outW;
  for (let r = r0; r < r1; r++) {
    const n = Math.floor(r / pixels);
    const oy = Math.floor((r - n * pixels) / g.outW);
    const ox = r - n * pixels - oy * g.outW;
    const iy0 = oy * g.strideH - g.padTop;
    const ix0 = ox * g.strideW - g.padLeft;
    const imageBase = n * g.inH;
    let o = (r - r0) * k;
    for (let ky = 0; ky < g.kH; ky++) {
      const iy = iy0 + ky;
      const rowInside = iy >= 0 && iy < g.inH;
      for (let kx = 0; kx < g.kW; kx++) {
        const ix = ix0 + kx;
        if (rowInside && ix >= 0 && ix < g.inW) {
          const src = ((imageBase + iy) * g.inW + ix) * cin;
          for (let ci = 0; ci < cin; ci++) col[o + ci] = x[src + ci];
        } else {
          col.fill(0, o, o + cin);
        }
        o += cin;
      }
    }
  }
}

/** dx += the patches in dcol, each added back where im2col read it from (padded taps dropped). */
function col2imAdd(dcol: Float32Array, cin: number, g: Geometry2D, r0: number, r1: number, dx: Float32Array): void {
  const k = g.kH * g.kW * cin;
  const pixels = g.outH * g.outW;
  for (let r = r0; r < r1; r++) {
    const n = Math.floor(r / pixels);
    const oy = Math.floor((r - n * pixels) / g.outW);
    const ox = r - n * pixels - oy * g.outW;
    const iy0 = oy * g.strideH - g.padTop;
    const ix0 = ox * g.strideW - g.padLeft;
    const imageBase = n * g.inH;
    let o = (r - r0) * k;
    for (let ky = 0; ky < g.kH; ky++) {
      const iy = iy0 + ky;
      const rowInside = iy >= 0 && iy < g.inH;
      for (let kx = 0; kx < g.kW; kx++) {
        const ix = ix0 + kx;
        if (rowInside && ix >= 0 && ix < g.inW) {
          const dst = ((imageBase + iy) * g.inW + ix) * cin;
          for (let ci = 0; ci < cin; ci++) dx[dst + ci] += dcol[o + ci];
        }
        o += cin;
      }
    }
  }
}

/** y [N, outH, outW, Cout] = activation(conv(x, w) + b). */
export function conv2dForward(
  x: Float32Array, // [N, H, W, Cin]
  w: Float32Array, // [kH, kW, Cin, Cout]
  b: Float32Array | null, // [Cout]
  y: Float32Array, // [N, outH, outW, Cout]
  geom: Geometry2D,
  cin: number,
  cout: number,
  activation: ElementwiseActivation = 'linear',
  scratch: ConvScratch = defaultScratch(),
): void {
  const k = geom.kH * geom.kW * cin;
  const rows = geom.batch * geom.outH * geom.outW;
  const opts = { bias: b ?? undefined, activation };
  if (isPointwise(geom)) {
    gemm(x, w, y, rows, cout, k, opts, scratch.gemm);
    return;
  }
  const chunk = rowsPerChunk(k, rows);
  const col = scratch.colBuffer(chunk * k);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = Math.min(rows, r0 + chunk);
    im2col(x, cin, geom, r0, r1, col);
    gemm(col, w, y.subarray(r0 * cout, r1 * cout), r1 - r0, cout, k, opts, scratch.gemm);
  }
}

/** dx [N, H, W, Cin] from dy [N, outH, outW, Cout] (the gradient after undoing any activation). */
export function conv2dGradInput(
  dy: Float32Array, // [N, outH, outW, Cout]
  w: Float32Array, // [kH, kW, Cin, Cout]
  dx: Float32Array, // [N, H, W, Cin]
  geom: Geometry2D,
  cin: number,
  cout: number,
  scratch: ConvScratch = defaultScratch(),
): void {
  const k = geom.kH * geom.kW * cin;
  const rows = geom.batch * geom.outH * geom.outW;
  if (isPointwise(geom)) {
    gemm(dy, w, dx, rows, k, cout, { transB: true }, scratch.gemm);
    return;
  }
  dx.fill(0, 0, geom.batch * geom.inH * geom.inW * cin);
  const chunk = rowsPerChunk(k, rows);
  const dcol = scratch.colBuffer(chunk * k);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = Math.min(rows, r0 + chunk);
    gemm(dy.subarray(r0 * cout, r1 * cout), w, dcol, r1 - r0, k, cout, { transB: true }, scratch.gemm);
    col2imAdd(dcol, cin, geom, r0, r1, dx);
  }
}

/** dw [kH, kW, Cin, Cout] = sum over pixels of patchᵀ · dy (or += when accumulate). */
export function conv2dGradFilter(
  x: Float32Array, // [N, H, W, Cin]
  dy: Float32Array, // [N, outH, outW, Cout]
  dw: Float32Array, // [kH, kW, Cin, Cout]
  geom: Geometry2D,
  cin: number,
  cout: number,
  accumulate = false,
  scratch: ConvScratch = defaultScratch(),
): void {
  const k = geom.kH * geom.kW * cin;
  const rows = geom.batch * geom.outH * geom.outW;
  if (!accumulate) dw.fill(0, 0, k * cout);
  if (isPointwise(geom)) {
    gemm(x, dy, dw, k, cout, rows, { transA: true, accumulate: true }, scratch.gemm);
    return;
  }
  const chunk = rowsPerChunk(k, rows);
  const col = scratch.colBuffer(chunk * k);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = Math.min(rows, r0 + chunk);
    im2col(x, cin, geom, r0, r1, col);
    gemm(col, dy.subarray(r0 * cout, r1 * cout), dw, k, cout, r1 - r0, { transA: true, accumulate: true }, scratch.gemm);
  }
}
