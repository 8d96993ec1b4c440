// Fast CPU 2-D pooling (NHWC): max pool with argmax, average pool with Keras 'same' semantics
// (a window averages only its valid cells), forward and backward. The readable specs are
// ops/reference/maxPool2d.ts and avgPool2d.ts; same tie rule (the first maximum in window order wins,
// strict >). Channels are the contiguous inner loop; the 2x2 stride-2 unpadded window has its own
// path because it is the one every small CNN uses.
import type { Geometry2D } from '../shapes';

function isPlain2x2(g: Geometry2D): boolean {
  return g.kH === 2 && g.kW === 2 && g.strideH === 2 && g.strideW === 2 && g.padTop === 0 && g.padLeft === 0 &&
    2 * g.outH <= g.inH && 2 * g.outW <= g.inW;
}

/** y [N, outH, outW, C] = window max; argmax [N, outH, outW, C] = flat index into x of the winner. */
export function maxPool2dForward(x: Float32Array, y: Float32Array, argmax: Uint32Array, g: Geometry2D, c: number): void {
  if (isPlain2x2(g)) {
    maxPool2x2(x, y, argmax, g, c);
    return;
  }
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      const y0 = Math.max(oy * g.strideH - g.padTop, 0);
      const y1 = Math.min(oy * g.strideH - g.padTop + g.kH, g.inH);
      for (let ox = 0; ox < g.outW; ox++, o += c) {
        const x0 = Math.max(ox * g.strideW - g.padLeft, 0);
        const x1 = Math.min(ox * g.strideW - g.padLeft + g.kW, g.inW);
        const first = ((b * g.inH + y0) * g.inW + x0) * c;
        for (let ch = 0; ch < c; ch++) {
          y[o + ch] = x[first + ch];
          argmax[o + ch] = first + ch;
        }
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = iy === y0 ? x0 + 1 : x0; ix < x1; ix++) {
            const base = ((b * g.inH + iy) * g.inW + ix) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch];
              if (v > y[o + ch]) {
                y[o + ch] = v;
                argmax[o + ch] = base + ch;
              }
            }
          }
        }
      }
    }
  }
}

function maxPool2x2(x: Float32Array, y: Float32Array, argmax: Uint32Array, g: Geometry2D, c: number): void {
  const rowStride = g.inW * c;
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      let i00 = ((b * g.inH + 2 * oy) * g.inW) * c;
      for (let ox = 0; ox < g.outW; ox++, i00 += c) {
        for (let ch = 0; ch < c; ch++, i00++, o++) {
          let best = x[i00];
          let at = i00;
          const i01 = i00 + c;
          const i10 = i00 + rowStride;
          const i11 = i10 + c;
          if (x[i01] > best) { best = x[i01]; at = i01; }
          if (x[i10] > best) { best = x[i10]; at = i10; }
          if (x[i11] > best) { best = x[i11]; at = i11; }
          y[o] = best;
          argmax[o] = at;
        }
      }
    }
  }
}

/** dx [N, H, W, C] = each output's gradient routed to its winner (dx has n elements, zeroed here). */
export function maxPool2dBackward(dy: Float32Array, argmax: Uint32Array, dx: Float32Array, n: number): void {
  dx.fill(0, 0, n);
  for (let o = 0; o < dy.length; o++) dx[argmax[o]] += dy[o];
}

/** y [N, outH, outW, C] = mean of each window's valid cells. */
export function avgPool2dForward(x: Float32Array, y: Float32Array, g: Geometry2D, c: number): void {
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      const y0 = Math.max(oy * g.strideH - g.padTop, 0);
      const y1 = Math.min(oy * g.strideH - g.padTop + g.kH, g.inH);
      for (let ox = 0; ox < g.outW; ox++, o += c) {
        const x0 = Math.max(ox * g.strideW - g.padLeft, 0);
        const x1 = Math.min(ox * g.strideW - g.padLeft + g.kW, g.inW);
        const scale = 1 / ((y1 - y0) * (x1 - x0));
        y.fill(0, o, o + c);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const base = ((b * g.inH + iy) * g.inW + ix) * c;
            for (let ch = 0; ch < c; ch++) y[o + ch] += x[base + ch];
          }
        }
        for (let ch = 0; ch < c; ch++) y[o + ch] *= scale;
      }
    }
  }
}

/** dx [N, H, W, C] (zeroed here): each output's gradient spread evenly over its window's valid cells. */
export function avgPool2dBackward(dy: Float32Array, dx: Float32Array, g: Geometry2D, c: number): void {
  dx.fill(0, 0, g.batch * g.inH * g.inW * c);
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      const y0 = Math.max(oy * g.strideH - g.padTop, 0);
      const y1 = Math.min(oy * g.strideH - g.padTop + g.kH, g.inH);
      for (let ox = 0; ox < g.outW; ox++, o += c) {
        const x0 = Math.max(ox * g.strideW - g.padLeft, 0);
        const x1 = Math.min(ox * g.strideW - g.padLeft + g.kW, g.inW);
        const scale = 1 / ((y1 - y0) * (x1 - x0));
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const base = ((b * g.inH + iy) * g.inW + ix) * c;
            for (let ch = 0; ch < c; ch++) dx[base + ch] += dy[o + ch] * scale;
          }
        }
      }
    }
  }
}
