// CPU reference of 2-D convolution (NHWC, kernel [kH, kW, inC, outC]) and its two gradients:
// the spec and test oracle for shaders/conv2d.*.wgsl. Plain loops, float32 or float64.
import { activate, type ElementwiseActivation } from '../activations';
import type { Geometry2D } from '../shapes';

export type Arr = Float32Array | Float64Array;

function like<A extends Arr>(a: A, n: number): A {
  return (a instanceof Float64Array ? new Float64Array(n) : new Float32Array(n)) as A;
}

/** For every output pixel and in-bounds kernel tap: fn(offset of the input pixel, of the output pixel, of the tap's [inC, outC] block). */
function forEachTap(
  g: Geometry2D,
  cin: number,
  cout: number,
  fn: (xBase: number, yBase: number, kBase: number) => void,
): void {
  for (let n = 0; n < g.batch; n++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const yBase = ((n * g.outH + oy) * g.outW + ox) * cout;
        for (let ky = 0; ky < g.kH; ky++) {
          const iy = oy * g.strideH + ky - g.padTop;
          if (iy < 0 || iy >= g.inH) continue;
          for (let kx = 0; kx < g.kW; kx++) {
            const ix = ox * g.strideW + kx - g.padLeft;
            if (ix < 0 || ix >= g.inW) continue;
            fn(((n * g.inH + iy) * g.inW + ix) * cin, yBase, (ky * g.kW + kx) * cin * cout);
          }
        }
      }
    }
  }
}

/** y [N, outH, outW, outC] = activation(conv(x, kernel) + bias). */
export function conv2dForward<A extends Arr>(
  x: A, // [N, H, W, inC]
  kernel: Arr, // [kH, kW, inC, outC]
  bias: Arr | null, // [outC]
  g: Geometry2D,
  cin: number,
  cout: number,
  activation: ElementwiseActivation = 'linear',
): A {
  const y = like(x, g.batch * g.outH * g.outW * cout);
  forEachTap(g, cin, cout, (xBase, yBase, kBase) => {
    for (let ci = 0; ci < cin; ci++) {
      for (let co = 0; co < cout; co++) y[yBase + co] += x[xBase + ci] * kernel[kBase + ci * cout + co];
    }
  });
  for (let i = 0; i < y.length; i++) y[i] = activate(y[i] + (bias ? bias[i % cout] : 0), activation);
  return y;
}

/** dx [N, H, W, inC] from dy [N, outH, outW, outC] (the gradient before any fused activation). */
export function conv2dGradInput<A extends Arr>(dy: A, kernel: Arr, g: Geometry2D, cin: number, cout: number): A {
  const dx = like(dy, g.batch * g.inH * g.inW * cin);
  forEachTap(g, cin, cout, (xBase, yBase, kBase) => {
    for (let ci = 0; ci < cin; ci++) {
      for (let co = 0; co < cout; co++) dx[xBase + ci] += dy[yBase + co] * kernel[kBase + ci * cout + co];
    }
  });
  return dx;
}

/** dkernel [kH, kW, inC, outC] = sum over N, outH, outW of the input patch times dy. */
export function conv2dGradFilter<A extends Arr>(x: A, dy: Arr, g: Geometry2D, cin: number, cout: number): A {
  const dk = like(x, g.kH * g.kW * cin * cout);
  forEachTap(g, cin, cout, (xBase, yBase, kBase) => {
    for (let ci = 0; ci < cin; ci++) {
      for (let co = 0; co < cout; co++) dk[kBase + ci * cout + co] += x[xBase + ci] * dy[yBase + co];
    }
  });
  return dk;
}
