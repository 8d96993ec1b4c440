// Shape arithmetic shared by layers, summary, executor and kernel wrappers.
// Shapes are Keras-style: a leading batch dimension (usually null) then the
// feature dimensions, NHWC for images. `null` means "unknown until run time"
// and propagates through every formula here.

export type Dim = number | null;
export type Shape = Dim[];
export type Padding = 'same' | 'valid';

/**
 * Output length of a conv/pool window sliding over `size` cells.
 * valid: ceil((size - window + 1) / stride); same: ceil(size / stride),
 * exactly as keras.utils.conv_utils.conv_output_length (dilation 1).
 * Returns null for an unknown size; a value < 1 means the window does not fit.
 */
export function convOutputLength(size: Dim, window: number, padding: Padding, stride: number): Dim {
  if (size === null) return null;
  const covered = padding === 'same' ? size : size - window + 1;
  return Math.ceil(covered / stride);
}

/** Total zero padding (before + after) that 'same' needs on one axis, TF rule. */
export function samePaddingTotal(size: number, window: number, stride: number): number {
  const out = Math.ceil(size / stride);
  return Math.max((out - 1) * stride + window - size, 0);
}

/** Padding before one axis ('same' puts the extra cell after, like TF). */
export function paddingBefore(size: number, window: number, stride: number, padding: Padding): number {
  return padding === 'same' ? Math.floor(samePaddingTotal(size, window, stride) / 2) : 0;
}

export interface Window2d {
  size: [number, number];
  strides: [number, number];
  padding: Padding;
}

/** [N, H, W, C] -> [N, outH, outW, channels] for a conv or pooling window. */
export function window2dOutputShape(input: Shape, w: Window2d, channels: Dim): Shape {
  const [n, h, wd] = input;
  const outH = convOutputLength(h ?? null, w.size[0], w.padding, w.strides[0]);
  const outW = convOutputLength(wd ?? null, w.size[1], w.padding, w.strides[1]);
  return [n ?? null, outH, outW, channels];
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

export function sameShape(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
