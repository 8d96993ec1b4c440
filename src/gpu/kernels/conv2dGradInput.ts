// Conv2D input gradient (gather form, no atomics): dx from dy and the kernel.
import source from '../../../shaders/conv2d.grad_input.wgsl?raw';
import vec4Source from '../../../shaders/conv2d.grad_input_vec4.wgsl?raw';
import block8Source from '../../../shaders/conv2d.grad_input_8x8.wgsl?raw';
import type { Geometry2D } from '../../ops/shapes';
import { withConstants, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withConvGeometry } from '../shaders';
import type { GpuTensor } from '../tensor';
import { pickVariant, validVariants, type Variant } from '../tuning';
import { CONV_TILED_KERNELS, TILED_VARIANTS, tiledWorkgroups, type TiledBlock } from './convTiledKernels';
import { CONV_PIX, conv2dUniforms, convChannels, convGeometry, type ConvChannels } from './conv2d';

const WG = 64;

export const conv2dGradInputKernel: KernelDef = {
  name: 'conv2d.grad_input',
  source: withConvGeometry(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** Same bindings and uniforms, for inC % 4 == 0 and outC % 4 == 0: reads dy and kernel as vec4s. */
export const conv2dGradInputVec4Kernel: KernelDef = { ...conv2dGradInputKernel, name: 'conv2d.grad_input_vec4', source: withConvGeometry(vec4Source) };

/** Same, for inC % 8 == 0 and outC % 4 == 0: 8 pixels x 8 input channels per invocation. */
export const conv2dGradInput8x8Kernel: KernelDef = { ...conv2dGradInputKernel, name: 'conv2d.grad_input_8x8', source: withConvGeometry(block8Source) };

interface GradInputArgs {
  bindings: GpuTensor[];
  uniforms: ArrayBuffer;
  /** The geometry as pipeline constants. */
  constants: Record<string, number>;
  /** N * H * W: input pixels. */
  rows: number;
}

/** A variant with `pix` input pixels x `ch` input channels per invocation. */
function gradInputVariant(name: string, def: KernelDef, pix: number, ch: number, valid: (s: ConvChannels) => boolean): Variant<ConvChannels, GradInputArgs> {
  return {
    name,
    valid,
    prepare: async (rt, a, s) => [await rt.prepare(withConstants(def, a.constants), a.bindings, a.uniforms, rt.grid(Math.ceil(a.rows / pix) * Math.ceil(s.cin / ch), WG))],
  };
}

/** A workgroup-memory tiled variant (convTiledKernels.ts): 64 pixels x 64 input channels per workgroup, any shape. */
function tiledGradInputVariant(block: TiledBlock): Variant<ConvChannels, GradInputArgs> {
  return {
    name: TILED_VARIANTS[block],
    valid: () => true,
    prepare: async (rt, a, s) => [await rt.prepare(withConstants(CONV_TILED_KERNELS.gradInput[block], a.constants), a.bindings, a.uniforms, tiledWorkgroups(a.rows, s.cin))],
  };
}

/** In order: the first valid one is the default (the fastest on SwiftShader); append new ones at the end. */
export const CONV2D_GRAD_INPUT_VARIANTS: readonly Variant<ConvChannels, GradInputArgs>[] = [
  gradInputVariant('8x8', conv2dGradInput8x8Kernel, 8, 8, (s) => s.cin % 8 === 0 && s.cout % 4 === 0),
  gradInputVariant('vec4', conv2dGradInputVec4Kernel, CONV_PIX, 4, (s) => s.cin % 4 === 0 && s.cout % 4 === 0),
  gradInputVariant('generic', conv2dGradInputKernel, CONV_PIX, 4, () => true),
  tiledGradInputVariant('4x4'),
  tiledGradInputVariant('8x8'),
];

/** The input-gradient variants valid for these channel counts, the default first. */
export function conv2dGradInputVariants(cin: number, cout: number): string[] {
  return validVariants(CONV2D_GRAD_INPUT_VARIANTS, { cin, cout });
}

/**
 * dx [N, H, W, inC] from dy [N, outH, outW, outC] and kernel [kH, kW, inC, outC]. dy is the
 * gradient of the pre-activation output: apply a fused activation's gradient before this.
 * `variant`: one of conv2dGradInputVariants(inC, outC); default the first.
 */
export async function prepareConv2dGradInput(
  rt: GpuRuntime,
  dy: GpuTensor,
  kernel: GpuTensor,
  dx: GpuTensor,
  g: Geometry2D,
  variant?: string,
): Promise<Dispatch> {
  const [cin, cout] = convChannels('conv2d.grad_input', g, kernel, ['dx', dx], ['dy', dy]);
  const s = { cin, cout };
  const v = pickVariant('conv2d.grad_input', CONV2D_GRAD_INPUT_VARIANTS, s, `inC ${cin}, outC ${cout}`, variant);
  const args = { bindings: [dy, kernel, dx], uniforms: conv2dUniforms(g, cin, cout), constants: convGeometry(g, cin, cout), rows: g.batch * g.inH * g.inW };
  const [d] = await v.prepare(rt, args, s);
  return d;
}
