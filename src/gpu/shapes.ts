// Shape arithmetic for windowed ops (convolution and pooling), in one place for layers, summary,
// executor, kernel wrappers and the CPU reference. Keras/TensorFlow rules:
//   valid: out = floor((in - k) / s) + 1
//   same:  out = ceil(in / s), total padding = max((out - 1) * s + k - in, 0), the smaller half on top/left.

export type Padding = 'same' | 'valid';

export interface Window2D {
  kernel: readonly [number, number];
  strides: readonly [number, number];
  padding: Padding;
}

/** Everything a 2-D windowed kernel needs: input [N, H, W, C] and output [N, outH, outW, *]. */
export interface Geometry2D {
  batch: number;
  inH: number;
  inW: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
  outH: number;
  outW: number;
}

export function windowOutputSize(size: number, k: number, s: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1;
}

export function padBefore(size: number, k: number, s: number, padding: Padding): number {
  if (padding === 'valid') return 0;
  const out = Math.ceil(size / s);
  return Math.floor(Math.max((out - 1) * s + k - size, 0) / 2);
}

/** Geometry for an NHWC input of `shape` under a window; throws when the output would be empty. */
export function geometry2D(shape: readonly number[], w: Window2D): Geometry2D {
  const [batch, inH, inW] = shape;
  const [kH, kW] = w.kernel;
  const [strideH, strideW] = w.strides;
  const outH = windowOutputSize(inH, kH, strideH, w.padding);
  const outW = windowOutputSize(inW, kW, strideW, w.padding);
  if (outH < 1 || outW < 1) {
    throw new RangeError(`a ${kH}x${kW} window with '${w.padding}' padding does not fit a ${inH}x${inW} input`);
  }
  return {
    batch,
    inH,
    inW,
    kH,
    kW,
    strideH,
    strideW,
    padTop: padBefore(inH, kH, strideH, w.padding),
    padLeft: padBefore(inW, kW, strideW, w.padding),
    outH,
    outW,
  };
}
