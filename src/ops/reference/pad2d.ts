// CPU reference of `pad2d`: a shifted window of an NHWC image with zeros outside it,
//   y[n, i, j, c] = x[n, i - top, j - left, c] when that cell is inside x, else 0,
// for y [N, outH, outW, C]. ZeroPadding2D has top, left >= 0 and a larger output; Cropping2D
// has top, left <= 0 and a smaller one. Each output cell reads at most one input cell, so the
// gradient is the same op with the shapes swapped and the shift negated.

export interface Pad2D {
  /** x [N, H, W, C]. */
  xShape: readonly number[];
  outH: number;
  outW: number;
  /** Rows added above (negative: rows cropped). */
  top: number;
  /** Columns added on the left (negative: columns cropped). */
  left: number;
}

/** The gradient's geometry: dy [N, outH, outW, C] back to dx [N, H, W, C]. */
export function pad2dAdjoint(p: Pad2D): Pad2D {
  const [n, h, w, c] = p.xShape;
  return { xShape: [n, p.outH, p.outW, c], outH: h, outW: w, top: -p.top, left: -p.left };
}

export function pad2d(x: Float32Array, p: Pad2D): Float32Array {
  const [n, h, w, c] = p.xShape;
  const y = new Float32Array(n * p.outH * p.outW * c);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < p.outH; i++) {
      const si = i - p.top;
      if (si < 0 || si >= h) continue;
      for (let j = 0; j < p.outW; j++) {
        const sj = j - p.left;
        if (sj < 0 || sj >= w) continue;
        const from = ((b * h + si) * w + sj) * c;
        const to = ((b * p.outH + i) * p.outW + j) * c;
        for (let k = 0; k < c; k++) y[to + k] = x[from + k];
      }
    }
  }
  return y;
}
