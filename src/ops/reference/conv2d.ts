// CPU reference of 2-D convolution (NHWC, kernel [kH, kW, inC, outC]) and its two gradients:
// the spec and test oracle for shaders/conv2d.*.wgsl. Plain loops, float32 or float64.
import { activate, type ElementwiseActivation } from '../activations';
import { geometry2D, type Geometry2D, type Padding } from '../shapes';

export type Arr = Float32Array | Float64Array;

export interface Conv2DParams {
  strides: readonly [number, number];
  padding: Padding;
  /** Fused elementwise activation applied after the bias (forward only); default linear. */
  activation?: ElementwiseActivation;
}

function like<A extends Arr>(a: A, n: number): A {
  return (a instanceof Float64Array ? new Float64Array(n) : new Float32Array(n)) as A;
}

/** Window geometry of a convolution, with the shape checks every conv op shares. */
export function conv2dGeometry(xShape: readonly number[], kernelShape: readonly number[], p: Conv2DParams): Geometry2D {
  if (xShape.length !== 4 || kernelShape.length !== 4 || xShape[3] !== kernelShape[2]) {
    throw new Error(`conv2d: input [${xShape}] (NHWC) does not fit kernel [${kernelShape}] ([kH, kW, inC, outC])`);
  }
  return geometry2D(xShape, { kernel: [kernelShape[0], kernelShape[1]], strides: p.strides, padding: p.padding });
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
  xShape: readonly number[],
  kernel: Arr, // [kH, kW, inC, outC]
  kernelShape: readonly number[],
  bias: Arr | null, // [outC]
  p: Conv2DParams,
): A {
  const g = conv2dGeometry(xShape, kernelShape, p);
  const [cin, cout] = [kernelShape[2], kernelShape[3]];
  const y = like(x, g.batch * g.outH * g.outW * cout);
  forEachTap(g, cin, cout, (xBase, yBase, kBase) => {
    for (let ci = 0; ci < cin; ci++) {
      for (let co = 0; co < cout; co++) y[yBase + co] += x[xBase + ci] * kernel[kBase + ci * cout + co];
    }
  });
  const act = p.activation ?? 'linear';
  for (let i = 0; i < y.length; i++) y[i] = activate(y[i] + (bias ? bias[i % cout] : 0), act);
  return y;
}

/** dx [N, H, W, inC] from dy [N, outH, outW, outC] (the gradient before any fused activation). */
export function conv2dGradInput<A extends Arr>(
  dy: A,
  kernel: Arr,
  kernelShape: readonly number[],
  xShape: readonly number[],
  p: Conv2DParams,
): A {
  const g = conv2dGeometry(xShape, kernelShape, p);
  const [cin, cout] = [kernelShape[2], kernelShape[3]];
  const dx = like(dy, xShape[0] * xShape[1] * xShape[2] * cin);
  forEachTap(g, cin, cout, (xBase, yBase, kBase) => {
    for (let ci = 0; ci < cin; ci++) {
      for (let co = 0; co < cout; co++) dx[xBase + ci] += dy[yBase + co] * kernel[kBase + ci * cout + co];
    }
  });
  return dx;
}

/** dkernel [kH, kW, inC, outC] = sum over N, outH, outW of the input patch times dy. */
export function conv2dGradFilter<A extends Arr>(
  x: A,
  xShape: readonly number[],
  dy: Arr,
  kernelShape: readonly number[],
  p: Conv2DParams,
): A {
  const g = conv2dGeometry(xShape, kernelShape, p);
  const [cin, cout] = [kernelShape[2], kernelShape[3]];
  const dk = like(x, g.kH * g.kW * cin * cout);
  forEachTap(g, cin, cout, (xBase, yBase, kBase) => {
    for (let ci = 0; ci < cin; ci++) {
      for (let co = 0; co < cout; co++) dk[kBase + ci * cout + co] += x[xBase + ci] * dy[yBase + co];
    }
  });
  return dk;
}
