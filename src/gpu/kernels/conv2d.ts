// Conv2D forward (implicit GEMM, fused bias and activation). Also what the conv2d gradient
// kernels share: the uniform packing (every Params struct starts with the same 13 geometry fields)
// and the check of a conv's tensors against its geometry.
import source from '../../../shaders/conv2d.forward.wgsl?raw';
import vec4Source from '../../../shaders/conv2d.forward_vec4.wgsl?raw';
import block8Source from '../../../shaders/conv2d.forward_8x8.wgsl?raw';
import narrowSource from '../../../shaders/conv2d.forward_narrow.wgsl?raw';
import wideSource from '../../../shaders/conv2d.forward_wide.wgsl?raw';
import { ACTIVATION_CODES, type ElementwiseActivation } from '../../ops/activations';
import { inputShape2D, outputShape2D, type Geometry2D } from '../../ops/shapes';
import { u32Uniforms, withConstants, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withConvGeometry } from '../shaders';
import { checkShape, type GpuTensor } from '../tensor';
import { pickVariant, validVariants, type Variant } from '../tuning';
import { CONV_TILED_KERNELS, TILED_VARIANTS, tiledWorkgroups, type TiledBlock } from './convTiledKernels';

const WG = 64;
/** Output pixels per invocation in the conv2d shaders (as are channels: 4). */
export const CONV_PIX = 4;

export const conv2dForwardKernel: KernelDef = {
  name: 'conv2d.forward',
  source: withConvGeometry(source),
  bindings: ['read', 'read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** Same bindings and uniforms, for inC % 4 == 0 and outC % 4 == 0: reads x and kernel as vec4s. */
export const conv2dForwardVec4Kernel: KernelDef = { ...conv2dForwardKernel, name: 'conv2d.forward_vec4', source: withConvGeometry(vec4Source) };

/** Same bindings and uniforms, for inC % 4 == 0 and outC % 8 == 0: 8 pixels x 8 channels per invocation. */
export const conv2dForward8x8Kernel: KernelDef = { ...conv2dForwardKernel, name: 'conv2d.forward_8x8', source: withConvGeometry(block8Source) };

/** Same, for any inC and outC % 8 == 0 (x read per channel): image inputs with 1 or 3 channels. */
export const conv2dForwardNarrowKernel: KernelDef = { ...conv2dForwardKernel, name: 'conv2d.forward_narrow', source: withConvGeometry(narrowSource) };
export const conv2dForwardWideKernel: KernelDef = { ...conv2dForwardKernel, name: 'conv2d.forward_wide', source: withConvGeometry(wideSource) };

/** The geometry head of every conv2d kernel's Params, then that kernel's own fields. */
export function conv2dUniforms(g: Geometry2D, cin: number, cout: number, ...extra: number[]): ArrayBuffer {
  return u32Uniforms(
    g.batch, g.inH, g.inW, cin,
    g.outH, g.outW, cout, g.kH,
    g.kW, g.strideH, g.strideW, g.padTop,
    g.padLeft, ...extra,
  );
}

/** The geometry constants of every conv2d kernel (shaders/conv_geometry.wgsl). */
export function convGeometry(g: Geometry2D, cin: number, cout: number): Record<string, number> {
  return {
    IN_H: g.inH, IN_W: g.inW, CIN: cin, OUT_H: g.outH, OUT_W: g.outW, COUT: cout,
    K_H: g.kH, K_W: g.kW, STRIDE_H: g.strideH, STRIDE_W: g.strideW, PAD_TOP: g.padTop, PAD_LEFT: g.padLeft,
  };
}

/**
 * Checks a conv's tensors against its geometry: kernel [kH, kW, inC, outC], the input side
 * [N, H, W, inC] and the output side [N, outH, outW, outC]. Returns [inC, outC].
 */
export function convChannels(
  op: string,
  g: Geometry2D,
  kernel: GpuTensor,
  input: [string, GpuTensor],
  output: [string, GpuTensor],
): [number, number] {
  const [cin, cout] = kernel.shape.slice(-2);
  checkShape(op, 'kernel', kernel, [g.kH, g.kW, cin, cout]);
  checkShape(op, input[0], input[1], inputShape2D(g, cin));
  checkShape(op, output[0], output[1], outputShape2D(g, cout));
  return [cin, cout];
}

/** The channel counts forward variants are valid for. */
export interface ConvChannels {
  cin: number;
  cout: number;
}

interface ForwardArgs {
  bindings: GpuTensor[];
  uniforms: ArrayBuffer;
  /** The activation and geometry as pipeline constants. */
  constants: Record<string, number>;
  rows: number;
}

/** A variant with `pix` output pixels x `ch` output channels per invocation. */
function forwardVariant(name: string, def: KernelDef, pix: number, ch: number, valid: (s: ConvChannels) => boolean): Variant<ConvChannels, ForwardArgs> {
  return {
    name,
    valid,
    prepare: async (rt, a, s) => [await rt.prepare(withConstants(def, a.constants), a.bindings, a.uniforms, rt.grid(Math.ceil(a.rows / pix) * Math.ceil(s.cout / ch), WG))],
  };
}

/** A workgroup-memory tiled variant (convTiledKernels.ts): 64 pixels x 64 channels per workgroup, any shape. */
function tiledForwardVariant(block: TiledBlock): Variant<ConvChannels, ForwardArgs> {
  return {
    name: TILED_VARIANTS[block],
    valid: () => true,
    prepare: async (rt, a, s) => [await rt.prepare(withConstants(CONV_TILED_KERNELS.forward[block], a.constants), a.bindings, a.uniforms, tiledWorkgroups(a.rows, s.cout))],
  };
}

/** In order: the first valid one is the default (the fastest on SwiftShader); append new ones at the end. */
export const CONV2D_FORWARD_VARIANTS: readonly Variant<ConvChannels, ForwardArgs>[] = [
  forwardVariant('8x8', conv2dForward8x8Kernel, 8, 8, (s) => s.cin % 4 === 0 && s.cout % 8 === 0),
  forwardVariant('narrow', conv2dForwardNarrowKernel, 8, 8, (s) => s.cout % 8 === 0),
  forwardVariant('vec4', conv2dForwardVec4Kernel, CONV_PIX, 4, (s) => s.cin % 4 === 0 && s.cout % 4 === 0),
  forwardVariant('generic', conv2dForwardKernel, CONV_PIX, 4, () => true),
  tiledForwardVariant('4x4'),
  tiledForwardVariant('8x8'),
  forwardVariant('wide', conv2dForwardWideKernel, 8, 16, (s) => s.cout % 16 === 0),
];

/** The forward variants valid for these channel counts, the default first. */
export function conv2dVariants(cin: number, cout: number): string[] {
  return validVariants(CONV2D_FORWARD_VARIANTS, { cin, cout });
}

/**
 * y [N, outH, outW, outC] = activate(conv(x [N, H, W, inC], kernel [kH, kW, inC, outC]) + bias [outC]).
 * `variant`: one of conv2dVariants(inC, outC); default the first.
 */
export async function prepareConv2d(
  rt: GpuRuntime,
  x: GpuTensor,
  kernel: GpuTensor,
  bias: GpuTensor | null,
  y: GpuTensor,
  g: Geometry2D,
  activation: ElementwiseActivation = 'linear',
  variant?: string,
): Promise<Dispatch> {
  const [cin, cout] = convChannels('conv2d.forward', g, kernel, ['x', x], ['y', y]);
  if (bias) checkShape('conv2d.forward', 'bias', bias, [cout]);
  const s = { cin, cout };
  const v = pickVariant('conv2d.forward', CONV2D_FORWARD_VARIANTS, s, `inC ${cin}, outC ${cout}`, variant);
  const uniforms = conv2dUniforms(g, cin, cout, ACTIVATION_CODES[activation], bias ? 1 : 0);
  const constants = { ACT: ACTIVATION_CODES[activation], ...convGeometry(g, cin, cout) };
  const [d] = await v.prepare(rt, { bindings: [x, kernel, bias ?? kernel, y], uniforms, constants, rows: g.batch * g.outH * g.outW }, s);
  return d;
}
