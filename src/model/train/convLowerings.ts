// The lowerings of the convolution variants and Embedding (the conv family): each runs as the
// general conv op of the OpBuilder (plain conv2d when it can, the grouped/dilated op otherwise),
// the transposed conv op, or the embedding lookup. Spread into LOWERINGS (lowerings.ts).
import type { ActivationName } from '../../ops/activations';
import type { OpBuilder } from './forwardOps';
import type { Lowering } from './lowerings';
import type { ValueId } from './program';

type ConvFamily = 'DepthwiseConv2D' | 'SeparableConv2D' | 'Conv2DTranspose' | 'Conv1D' | 'Embedding';

function preActivationRole(activation: ActivationName): string | undefined {
  return activation === 'linear' ? undefined : activation === 'softmax' ? 'logits' : 'pre-activation';
}

function activated(g: OpBuilder, z: ValueId, activation: ActivationName): ValueId {
  return activation === 'linear' ? z : g.activation(z, activation);
}

/** The depthwise kernel [kH, kW, C, m] viewed as the grouped kernel [kH, kW, 1, C * m] (same memory). */
function depthwiseKernel(g: OpBuilder, w: ValueId): ValueId {
  const [kh, kw, c, m] = g.shapeOf(w);
  return g.weightView(w, [kh, kw, 1, c * m]);
}

export const CONV_FAMILY_LOWERINGS: { [K in ConvFamily]: Lowering<K> } = {
  DepthwiseConv2D: (g, { config: c, inputs: [x], weights: [w, b] }) => {
    const channels = g.shapeOf(x)[3]; // [N, H, W, C]
    const window = { kernel: c.kernelSize, strides: c.strides, dilation: c.dilationRate, padding: c.padding, groups: channels };
    return activated(g, g.conv(x, depthwiseKernel(g, w), c.useBias ? b : null, window, preActivationRole(c.activation)), c.activation);
  },
  SeparableConv2D: (g, { config: c, inputs: [x], weights: [dw, pw, b] }) => {
    const channels = g.shapeOf(x)[3]; // [N, H, W, C]
    const window = { kernel: c.kernelSize, strides: c.strides, dilation: c.dilationRate, padding: c.padding, groups: channels };
    const depthwise = g.conv(x, depthwiseKernel(g, dw), null, window, 'depthwise'); // [N, outH, outW, C * m]
    const pointwise = { kernel: [1, 1], strides: [1, 1], dilation: [1, 1], padding: 'valid', groups: 1 } as const;
    return activated(g, g.conv(depthwise, pw, c.useBias ? b : null, pointwise, preActivationRole(c.activation)), c.activation);
  },
  Conv2DTranspose: (g, { config: c, inputs: [x], weights: [w, b] }) =>
    activated(g, g.conv2dTranspose(x, w, c.useBias ? b : null, c.strides, c.padding, preActivationRole(c.activation)), c.activation),
  // [N, steps, C] as an image [N, 1, steps, C], the kernel [k, C / groups, F] as [1, k, C / groups, F].
  Conv1D: (g, { config: c, inputs: [x], weights: [w, b], outShape }) => {
    const [n, steps, channels] = g.shapeOf(x);
    const image = g.reshape(x, [n, 1, steps, channels]);
    const kernel = g.weightView(w, [1, ...g.shapeOf(w)]);
    const window = { kernel: [1, c.kernelSize], strides: [1, c.strides], dilation: [1, c.dilationRate], padding: c.padding, groups: c.groups } as const;
    const z = g.conv(image, kernel, c.useBias ? b : null, window, preActivationRole(c.activation)); // [N, 1, outSteps, F]
    return g.reshape(activated(g, z, c.activation), outShape);
  },
  Embedding: (g, { inputs: [ids], weights: [w] }) => g.embedding(ids, w),
};
