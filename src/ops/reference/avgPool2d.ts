// CPU reference of 2-D average pooling (NHWC) and its gradient, with Keras semantics: under 'same'
// padding a window averages only its valid (non-padded) cells.
import type { Geometry2D } from '../shapes';
import type { Arr } from './maxPool2d';

/** Calls fn(x offset, y offset, 1 / valid cells) for every output pixel and every valid cell of its window. */
function forEachCell(g: Geometry2D, c: number, fn: (xBase: number, yBase: number, scale: number) => void): void {
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const y0 = Math.max(oy * g.strideH - g.padTop, 0);
        const y1 = Math.min(oy * g.strideH - g.padTop + g.kH, g.inH);
        const x0 = Math.max(ox * g.strideW - g.padLeft, 0);
        const x1 = Math.min(ox * g.strideW - g.padLeft + g.kW, g.inW);
        const scale = 1 / ((y1 - y0) * (x1 - x0));
        const yBase = ((b * g.outH + oy) * g.outW + ox) * c;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) fn(((b * g.inH + iy) * g.inW + ix) * c, yBase, scale);
        }
      }
    }
  }
}

/** y [N, outH, outW, C]: the mean of each window's valid cells. */
export function avgPool2dForward<A extends Arr>(x: A, g: Geometry2D, c: number): A {
  const n = g.batch * g.outH * g.outW * c;
  const y = (x instanceof Float64Array ? new Float64Array(n) : new Float32Array(n)) as A;
  forEachCell(g, c, (xBase, yBase, scale) => {
    for (let ch = 0; ch < c; ch++) y[yBase + ch] += x[xBase + ch] * scale;
  });
  return y;
}

/** dx [N, H, W, C]: each output's gradient spread evenly over its window's valid cells. */
export function avgPool2dBackward<A extends Arr>(dy: A, g: Geometry2D, c: number): A {
  const n = g.batch * g.inH * g.inW * c;
  const dx = (dy instanceof Float64Array ? new Float64Array(n) : new Float32Array(n)) as A;
  forEachCell(g, c, (xBase, yBase, scale) => {
    for (let ch = 0; ch < c; ch++) dx[xBase + ch] += dy[yBase + ch] * scale;
  });
  return dx;
}
