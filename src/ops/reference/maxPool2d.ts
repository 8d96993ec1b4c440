// CPU reference of 2-D max pooling (NHWC) and its gradient. Padded cells never win. Ties: the first
// maximum in window order (rows top to bottom, then columns left to right) wins and alone receives
// the gradient. `argmax` holds, per output, the flat index into x of its winner.
import type { Geometry2D } from '../shapes';

export type Arr = Float32Array | Float64Array;

/** y [N, outH, outW, C] and argmax [N, outH, outW, C] (flat indices into x). */
export function maxPool2dForward<A extends Arr>(x: A, g: Geometry2D, c: number): { y: A; argmax: Uint32Array } {
  const n = g.batch * g.outH * g.outW * c;
  const y = (x instanceof Float64Array ? new Float64Array(n) : new Float32Array(n)) as A;
  const argmax = new Uint32Array(n);
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let bestIndex = -1;
          for (let ky = 0; ky < g.kH; ky++) {
            const iy = oy * g.strideH + ky - g.padTop;
            if (iy < 0 || iy >= g.inH) continue;
            for (let kx = 0; kx < g.kW; kx++) {
              const ix = ox * g.strideW + kx - g.padLeft;
              if (ix < 0 || ix >= g.inW) continue;
              const i = ((b * g.inH + iy) * g.inW + ix) * c + ch;
              if (bestIndex < 0 || x[i] > best) {
                best = x[i];
                bestIndex = i;
              }
            }
          }
          const o = ((b * g.outH + oy) * g.outW + ox) * c + ch;
          y[o] = best;
          argmax[o] = bestIndex;
        }
      }
    }
  }
  return { y, argmax };
}

/** dx [N, H, W, C]: each output's gradient goes to its window's winner. */
export function maxPool2dBackward<A extends Arr>(dy: A, argmax: Uint32Array, g: Geometry2D, c: number): A {
  const n = g.batch * g.inH * g.inW * c;
  const dx = (dy instanceof Float64Array ? new Float64Array(n) : new Float32Array(n)) as A;
  for (let o = 0; o < dy.length; o++) dx[argmax[o]] += dy[o];
  return dx;
}
