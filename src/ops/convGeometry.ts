// Window arithmetic of the convolution variants beyond plain Conv2D: dilation (a kernel tap every
// `dilation` cells), groups (channels split into independent convolutions), Conv1D's 'causal'
// padding (all padding before the sequence) and Conv2DTranspose's output size. As Keras's
// conv_utils: a dilated window covers (k - 1) * d + 1 cells, then the usual valid/same rules apply.
import type { Geometry2D } from './shapes';

export type ConvPadding = 'valid' | 'same' | 'causal';

/** A conv geometry with dilation and groups; kH/kW are the kernel's own taps (not the dilated span). */
export interface ConvGeometry extends Geometry2D {
  dilationH: number;
  dilationW: number;
  groups: number;
}

/** Cells a dilated window covers. */
export function dilatedSpan(k: number, dilation: number): number {
  return (k - 1) * dilation + 1;
}

/** Keras's conv_output_length: valid: ceil((in - span + 1) / s); same and causal: ceil(in / s). */
export function dilatedOutputLength(size: number, k: number, padding: ConvPadding, stride: number, dilation: number): number {
  const covered = padding === 'valid' ? size - dilatedSpan(k, dilation) + 1 : size;
  return Math.ceil(covered / stride);
}

/** Same as dilatedOutputLength, null for an unknown size. */
export function dilatedOutputDim(size: number | null, k: number, padding: ConvPadding, stride: number, dilation: number): number | null {
  return size === null ? null : dilatedOutputLength(size, k, padding, stride, dilation);
}

/** Cells of padding before the first window: none (valid), the smaller half (same), all of it (causal). */
function padBefore(size: number, k: number, s: number, d: number, padding: ConvPadding): number {
  const span = dilatedSpan(k, d);
  if (padding === 'valid') return 0;
  if (padding === 'causal') return span - 1;
  const out = Math.ceil(size / s);
  return Math.floor(Math.max((out - 1) * s + span - size, 0) / 2);
}

export interface ConvWindow {
  kernel: readonly [number, number];
  strides: readonly [number, number];
  dilation: readonly [number, number];
  padding: ConvPadding;
  groups: number;
}

/** Geometry of a (grouped, dilated) window over x [N, H, W, C]; throws when the output would be empty. */
export function convGeometry(xShape: readonly number[], w: ConvWindow): ConvGeometry {
  if (xShape.length !== 4) throw new Error(`conv: input [${xShape}] is not NHWC`);
  const [batch, inH, inW] = xShape;
  const [kH, kW] = w.kernel;
  const [strideH, strideW] = w.strides;
  const [dilationH, dilationW] = w.dilation;
  const outH = dilatedOutputLength(inH, kH, w.padding, strideH, dilationH);
  const outW = dilatedOutputLength(inW, kW, w.padding, strideW, dilationW);
  if (outH < 1 || outW < 1) {
    throw new RangeError(`a ${kH}x${kW} window dilated ${dilationH}x${dilationW} with '${w.padding}' padding does not fit a ${inH}x${inW} input`);
  }
  return {
    batch, inH, inW, kH, kW, strideH, strideW, outH, outW, dilationH, dilationW, groups: w.groups,
    padTop: padBefore(inH, kH, strideH, dilationH, w.padding),
    padLeft: padBefore(inW, kW, strideW, dilationW, w.padding),
  };
}

/** Whether a geometry is a plain conv (the existing conv2d ops run it). */
export function isPlainConv(g: ConvGeometry): boolean {
  return g.dilationH === 1 && g.dilationW === 1 && g.groups === 1;
}

/** Keras's deconv_output_length (output_padding None, dilation 1): valid: in * s + max(k - s, 0); same: in * s. */
export function transposeOutputDim(size: number | null, k: number, padding: 'valid' | 'same', stride: number): number | null {
  if (size === null) return null;
  return padding === 'valid' ? size * stride + Math.max(k - stride, 0) : size * stride;
}
