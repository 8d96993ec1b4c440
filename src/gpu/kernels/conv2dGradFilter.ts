// Conv2D filter gradient as a split-K reduction in two dispatches: partial sums over chunks of
// the N*outH*outW rows into a caller-owned `partials` tensor, then their sum into dkernel.
import partialSource from '../../../shaders/conv2d.grad_filter.wgsl?raw';
import vec4Source from '../../../shaders/conv2d.grad_filter_vec4.wgsl?raw';
import block8Source from '../../../shaders/conv2d.grad_filter_8x8.wgsl?raw';
import sumSource from '../../../shaders/conv2d.grad_filter_sum.wgsl?raw';
import type { Geometry2D } from '../../ops/shapes';
import { u32Uniforms, withConstants, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon, withConvGeometry } from '../shaders';
import { checkShape, sizeOf, type GpuTensor } from '../tensor';
import { pickVariant, validVariants, type Variant } from '../tuning';
import { conv2dUniforms, convChannels, convGeometry } from './conv2d';
import { CONV_TILED_KERNELS, TILED_VARIANTS, tiledGradFilterSplit, tiledWorkgroups, type TiledBlock } from './convTiledKernels';

const WG = 64;
const SUM_WG = 256;
/** Aim for about this many invocations in pass 1, but never chunks under MIN_CHUNK rows. */
const TARGET_INVOCATIONS = 16384;
const MIN_CHUNK = 64;

export const conv2dGradFilterKernel: KernelDef = {
  name: 'conv2d.grad_filter',
  source: withConvGeometry(partialSource),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** Same bindings and uniforms, for inC % 4 == 0 and outC % 4 == 0: reads x and dy as vec4s. */
export const conv2dGradFilterVec4Kernel: KernelDef = { ...conv2dGradFilterKernel, name: 'conv2d.grad_filter_vec4', source: withConvGeometry(vec4Source) };

/** Same, for inC % 8 == 0 and outC % 8 == 0: 8x8 blocks per invocation (a quarter of the invocations). */
export const conv2dGradFilter8x8Kernel: KernelDef = { ...conv2dGradFilterKernel, name: 'conv2d.grad_filter_8x8', source: withConvGeometry(block8Source) };

export const conv2dGradFilterSumKernel: KernelDef = {
  name: 'conv2d.grad_filter_sum',
  source: withCommon(sumSource),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG: SUM_WG },
};

interface Split {
  splits: number;
  chunk: number;
  tiles: number;
}

/**
 * How the reduction is split: the vec4 kernel takes chunks of whole output rows (n, oy), the
 * scalar one chunks of pixels; both aim for about TARGET_INVOCATIONS invocations.
 */
function split(g: Geometry2D, cin: number, cout: number): Split {
  const pixels = g.batch * g.outH * g.outW;
  const tiles = Math.ceil((g.kH * g.kW * cin) / 4) * Math.ceil(cout / 4);
  const wanted = Math.min(Math.ceil(TARGET_INVOCATIONS / tiles), Math.ceil(pixels / MIN_CHUNK));
  const units = isVec4(cin, cout) ? g.batch * g.outH : pixels;
  const chunk = Math.ceil(units / Math.max(1, wanted));
  return { splits: Math.ceil(units / chunk), chunk, tiles };
}

function isVec4(cin: number, cout: number): boolean {
  return cin % 4 === 0 && cout % 4 === 0;
}

/** What grad-filter variants are valid for: the geometry and the channel counts. */
export interface GradFilterShape {
  g: Geometry2D;
  cin: number;
  cout: number;
}

interface GradFilterArgs {
  x: GpuTensor;
  dy: GpuTensor;
  dkernel: GpuTensor;
  partials: GpuTensor;
}

type GradFilterVariant = Variant<GradFilterShape, GradFilterArgs> & {
  /** The partials this variant needs, when not the shared split's. */
  partialsShape?(s: GradFilterShape): number[];
};

/**
 * Pass 1 with `def` (owning `tilesPerInvocation` 4x4 tiles per invocation), then the sum. The
 * scalar kernel counts its chunk in pixels: on vec4 shapes the split is in output rows, so its
 * chunk is that many rows of pixels (the same splits, the same partials).
 */
function gradFilterVariant(name: string, def: KernelDef, tilesPerInvocation: number, valid: (s: GradFilterShape) => boolean): GradFilterVariant {
  return {
    name,
    valid,
    prepare: async (rt, a, { g, cin, cout }) => {
      const { splits, chunk, tiles } = split(g, cin, cout);
      const pixelChunk = def === conv2dGradFilterKernel && isVec4(cin, cout) ? chunk * g.outW : chunk;
      const size = sizeOf(a.dkernel.shape);
      return [
        await rt.prepare(withConstants(def, convGeometry(g, cin, cout)), [a.x, a.dy, a.partials], conv2dUniforms(g, cin, cout, pixelChunk, splits), rt.grid((splits * tiles) / tilesPerInvocation, WG)),
        await rt.prepare(conv2dGradFilterSumKernel, [a.partials, a.dkernel], u32Uniforms(size, splits), rt.grid(size, SUM_WG)),
      ];
    },
  };
}

/**
 * A workgroup-memory tiled variant (convTiledKernels.ts): 64 filter rows x 64 channels per
 * workgroup, split along the pixels by its own rule (its own partials shape), then the same sum.
 */
function tiledGradFilterVariant(block: TiledBlock): GradFilterVariant {
  return {
    name: TILED_VARIANTS[block],
    valid: () => true,
    partialsShape: ({ g, cin, cout }) => [tiledGradFilterSplit(g, cin, cout).splits, g.kH, g.kW, cin, cout],
    prepare: async (rt, a, { g, cin, cout }) => {
      const { splits, chunk } = tiledGradFilterSplit(g, cin, cout);
      const size = sizeOf(a.dkernel.shape);
      const def = withConstants(CONV_TILED_KERNELS.gradFilter[block], convGeometry(g, cin, cout));
      const workgroups = tiledWorkgroups(g.kH * g.kW * cin, cout, splits);
      return [
        await rt.prepare(def, [a.x, a.dy, a.partials], conv2dUniforms(g, cin, cout, chunk, splits), workgroups),
        await rt.prepare(conv2dGradFilterSumKernel, [a.partials, a.dkernel], u32Uniforms(size, splits), rt.grid(size, SUM_WG)),
      ];
    },
  };
}

/** In order: the first valid one is the default (the fastest on SwiftShader); append new ones at the end. */
export const CONV2D_GRAD_FILTER_VARIANTS: readonly GradFilterVariant[] = [
  gradFilterVariant('8x8', conv2dGradFilter8x8Kernel, 4, (s) => s.cin % 8 === 0 && s.cout % 8 === 0),
  gradFilterVariant('vec4', conv2dGradFilterVec4Kernel, 1, (s) => isVec4(s.cin, s.cout)),
  gradFilterVariant('generic', conv2dGradFilterKernel, 1, () => true),
  tiledGradFilterVariant('4x4'),
  tiledGradFilterVariant('8x8'),
];

/** The filter-gradient variants valid for this geometry and kernel [kH, kW, inC, outC], the default first. */
export function conv2dGradFilterVariants(g: Geometry2D, kernelShape: readonly number[]): string[] {
  const [cin, cout] = kernelShape.slice(-2);
  return validVariants(CONV2D_GRAD_FILTER_VARIANTS, { g, cin, cout });
}

/** Shape of the scratch tensor prepareConv2dGradFilter needs: [splits, kH, kW, inC, outC]. */
export function conv2dGradFilterPartialsShape(g: Geometry2D, kernelShape: readonly number[], variant?: string): number[] {
  const [cin, cout] = kernelShape.slice(-2);
  const s = { g, cin, cout };
  const v = pickVariant('conv2d.grad_filter', CONV2D_GRAD_FILTER_VARIANTS, s, `inC ${cin}, outC ${cout}`, variant);
  return v.partialsShape?.(s) ?? [split(g, cin, cout).splits, g.kH, g.kW, cin, cout];
}

/**
 * dkernel [kH, kW, inC, outC] = sum over N, outH, outW of x-patch (outer) dy. Returns the
 * dispatches to record in order. dy is the gradient of the pre-activation output. `variant`: one
 * of conv2dGradFilterVariants (default the first); `partials` has its partials shape.
 */
export async function prepareConv2dGradFilter(
  rt: GpuRuntime,
  x: GpuTensor,
  dy: GpuTensor,
  dkernel: GpuTensor,
  partials: GpuTensor,
  g: Geometry2D,
  variant?: string,
): Promise<Dispatch[]> {
  const [cin, cout] = convChannels('conv2d.grad_filter', g, dkernel, ['x', x], ['dy', dy]);
  const s = { g, cin, cout };
  const v = pickVariant('conv2d.grad_filter', CONV2D_GRAD_FILTER_VARIANTS, s, `inC ${cin}, outC ${cout}`, variant);
  checkShape('conv2d.grad_filter', 'partials', partials, conv2dGradFilterPartialsShape(g, dkernel.shape, v.name));
  return v.prepare(rt, { x, dy, dkernel, partials }, s);
}
