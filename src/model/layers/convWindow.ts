// The window checks the convolution layers share (Conv2D with dilation and groups, DepthwiseConv2D,
// SeparableConv2D, Conv1D): the input rank, whether a dilated window fits, Keras's refusal of
// strides and dilation both above 1, and groups dividing the channels. Arithmetic: ops/convGeometry.ts.

import { dilatedOutputDim, dilatedSpan, type ConvPadding } from '../../ops/convGeometry.ts';
import type { Shape } from '../../ops/shapes.ts';
import { fail, positiveInt, shapeText } from '../validate.ts';

export interface LayerWindow {
  kernel: readonly [number, number];
  strides: readonly [number, number];
  dilation: readonly [number, number];
  padding: ConvPadding;
}

/** Keras: "`strides > 1` not supported in conjunction with `dilation_rate > 1`". */
export function checkStridesDilation(where: string, strides: readonly number[], dilation: readonly number[], names = ['strides', 'dilationRate']): void {
  if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
    fail(where, `${names[0]} [${strides.join(', ')}] and ${names[1]} [${dilation.join(', ')}] are both above 1; Keras refuses that. Use strides 1 with a dilation, or dilation 1 with strides.`);
  }
}

/** [batch, outH, outW] of a window over a 4-D NHWC input, after checking it fits; `option` names the kernel's option. */
export function windowOutput(where: string, shape: Shape, w: LayerWindow, option: string): [number | null, number | null, number | null] {
  if (shape.length !== 4) {
    fail(where, `needs a 4-D input (batch, height, width, channels), got ${shapeText(shape)}. Give input() a shape like [28, 28, 1].`);
  }
  const [n, h, wd] = shape;
  const spans = [dilatedSpan(w.kernel[0], w.dilation[0]), dilatedSpan(w.kernel[1], w.dilation[1])];
  if (w.padding === 'valid' && ((h !== null && h! < spans[0]!) || (wd !== null && wd! < spans[1]!))) {
    const dilated = spans[0] === w.kernel[0] && spans[1] === w.kernel[1] ? '' : ` (dilated to [${spans.join(', ')}])`;
    fail(where, `${option} [${w.kernel.join(', ')}]${dilated} is larger than its input image [${h}, ${wd}] from ${shapeText(shape)} with padding 'valid'. Use a smaller ${option}, padding: 'same', or remove a pooling layer before it.`);
  }
  const outH = dilatedOutputDim(h ?? null, w.kernel[0], w.padding, w.strides[0], w.dilation[0]);
  const outW = dilatedOutputDim(wd ?? null, w.kernel[1], w.padding, w.strides[1], w.dilation[1]);
  return [n ?? null, outH, outW];
}

/** The known channel count of an NHWC input. */
export function knownChannels(where: string, shape: Shape): number {
  const channels = shape[shape.length - 1];
  if (channels === null || channels === undefined) fail(where, `the channel dimension of its input ${shapeText(shape)} must be known.`);
  return channels!;
}

/** groups: a positive integer dividing filters (checked here) and the input channels (at the first call). */
export function groupsArg(where: string, value: unknown, filters: number): number {
  const groups = positiveInt(where, 'groups', value);
  if (filters % groups !== 0) fail(where, `groups ${groups} must divide filters ${filters}. Use a number of filters that is a multiple of groups.`);
  return groups;
}

export function checkGroupsDivide(where: string, groups: number, channels: number, shape: Shape): void {
  if (channels % groups !== 0) {
    fail(where, `groups ${groups} must divide the input channels, got ${channels} from ${shapeText(shape)}. Use groups that divides ${channels}.`);
  }
}
