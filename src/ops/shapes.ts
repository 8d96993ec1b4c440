// Shape and window arithmetic shared by layers, summary, executor, kernel wrappers and the CPU ops.
// Keras-style shapes: a leading batch dimension (usually null) then the feature dimensions, NHWC
// for images; `null` means "unknown until run time" and propagates through the symbolic formulas.
// Window rules are Keras/TensorFlow's:
//   valid: out = ceil((in - k + 1) / s)
//   same:  out = ceil(in / s), total padding = max((out - 1) * s + k - in, 0), the smaller half on top/left.
// `Window2D` is what a layer configures; `Geometry2D` is that window placed over a known input, the
// one description every conv and pooling op (reference, fast CPU, GPU) takes.

export type Dim = number | null;
export type Shape = Dim[];
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

/**
 * Output length of a conv/pool window sliding over `size` cells.
 * valid: ceil((size - window + 1) / stride); same: ceil(size / stride),
 * exactly as keras.utils.conv_utils.conv_output_length (dilation 1).
 * Returns null for an unknown size; a value < 1 means the window does not fit.
 */
export function convOutputLength(size: Dim, window: number, padding: Padding, stride: number): Dim {
  return size === null ? null : outputLength(size, window, padding, stride);
}

function outputLength(size: number, window: number, padding: Padding, stride: number): number {
  const covered = padding === 'same' ? size : size - window + 1;
  return Math.ceil(covered / stride);
}

/** [N, H, W, C] -> [N, outH, outW, channels] for a conv or pooling window. */
export function window2dOutputShape(input: Shape, w: Window2D, channels: Dim): Shape {
  const [n, h, wd] = input;
  const outH = convOutputLength(h ?? null, w.kernel[0], w.padding, w.strides[0]);
  const outW = convOutputLength(wd ?? null, w.kernel[1], w.padding, w.strides[1]);
  return [n ?? null, outH, outW, channels];
}

/** Cells of padding before the first window (top or left); 'same' puts the smaller half there. */
function padBefore(size: number, k: number, s: number, padding: Padding): number {
  if (padding === 'valid') return 0;
  const out = Math.ceil(size / s);
  return Math.floor(Math.max((out - 1) * s + k - size, 0) / 2);
}

/** Geometry of a window sliding over x [N, H, W, C]; throws when x is not NHWC or the output would be empty. */
export function geometry2D(xShape: readonly number[], w: Window2D): Geometry2D {
  if (xShape.length !== 4) throw new Error(`window2d: input [${xShape}] is not NHWC`);
  const [batch, inH, inW] = xShape;
  const [kH, kW] = w.kernel;
  const [strideH, strideW] = w.strides;
  const outH = outputLength(inH, kH, w.padding, strideH);
  const outW = outputLength(inW, kW, w.padding, strideW);
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

/** Geometry of convolving x [N, H, W, inC] with kernel [kH, kW, inC, outC]; the window is the kernel's. */
export function conv2dGeometry(
  xShape: readonly number[],
  kernelShape: readonly number[],
  w: Pick<Window2D, 'strides' | 'padding'>,
): Geometry2D {
  if (xShape.length !== 4 || kernelShape.length !== 4 || xShape[3] !== kernelShape[2]) {
    throw new Error(`conv2d: input [${xShape}] (NHWC) does not fit kernel [${kernelShape}] ([kH, kW, inC, outC])`);
  }
  return geometry2D(xShape, { kernel: [kernelShape[0], kernelShape[1]], strides: w.strides, padding: w.padding });
}

/** [N, H, W, channels]: the input side of a geometry. */
export function inputShape2D(g: Geometry2D, channels: number): number[] {
  return [g.batch, g.inH, g.inW, channels];
}

/** [N, outH, outW, channels]: the output side of a geometry. */
export function outputShape2D(g: Geometry2D, channels: number): number[] {
  return [g.batch, g.outH, g.outW, channels];
}

/** Number of elements of a fully known shape (weights); throws on null. */
export function shapeSize(shape: readonly Dim[]): number {
  let size = 1;
  for (const d of shape) {
    if (d === null) throw new Error(`shapeSize: shape [${formatDims(shape)}] has an unknown dimension`);
    size *= d;
  }
  return size;
}

/** "None, 28, 28, 1": the Python spelling of dims, shared by summary and errors. */
export function formatDims(shape: readonly Dim[]): string {
  return shape.map((d) => (d === null ? 'None' : String(d))).join(', ');
}

/** Python's str() of a shape tuple: (None, 10), and (None,) for rank 1. */
export function pythonTuple(shape: readonly Dim[]): string {
  return shape.length === 1 ? `(${formatDims(shape)},)` : `(${formatDims(shape)})`;
}

/** Where a block of columns sits in a row-major matrix: its row length and first column. */
export interface ColumnBlock {
  rowLength: number;
  column: number;
}
