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
import { conv2dUniforms, convChannels, convGeometry } from './conv2d';

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

/** Pass 1's kernel for these channel counts, and how many 4x4 tiles one invocation owns. */
function partialKernel(cin: number, cout: number): { def: KernelDef; tilesPerInvocation: number } {
  if (cin % 8 === 0 && cout % 8 === 0) return { def: conv2dGradFilter8x8Kernel, tilesPerInvocation: 4 };
  if (isVec4(cin, cout)) return { def: conv2dGradFilterVec4Kernel, tilesPerInvocation: 1 };
  return { def: conv2dGradFilterKernel, tilesPerInvocation: 1 };
}

/** Shape of the scratch tensor prepareConv2dGradFilter needs: [splits, kH, kW, inC, outC]. */
export function conv2dGradFilterPartialsShape(g: Geometry2D, kernelShape: readonly number[]): number[] {
  const [cin, cout] = kernelShape.slice(-2);
  return [split(g, cin, cout).splits, g.kH, g.kW, cin, cout];
}

/**
 * dkernel [kH, kW, inC, outC] = sum over N, outH, outW of x-patch (outer) dy. Returns two
 * dispatches to record in order. dy is the gradient of the pre-activation output.
 */
export async function prepareConv2dGradFilter(
  rt: GpuRuntime,
  x: GpuTensor,
  dy: GpuTensor,
  dkernel: GpuTensor,
  partials: GpuTensor,
  g: Geometry2D,
): Promise<Dispatch[]> {
  const [cin, cout] = convChannels('conv2d.grad_filter', g, dkernel, ['x', x], ['dy', dy]);
  checkShape('conv2d.grad_filter', 'partials', partials, conv2dGradFilterPartialsShape(g, dkernel.shape));
  const { splits, chunk, tiles } = split(g, cin, cout);
  const size = sizeOf(dkernel.shape);
  const uniforms = conv2dUniforms(g, cin, cout, chunk, splits);
  const { def, tilesPerInvocation } = partialKernel(cin, cout);
  return [
    await rt.prepare(withConstants(def, convGeometry(g, cin, cout)), [x, dy, partials], uniforms, rt.grid((splits * tiles) / tilesPerInvocation, WG)),
    await rt.prepare(conv2dGradFilterSumKernel, [partials, dkernel], u32Uniforms(size, splits), rt.grid(size, SUM_WG)),
  ];
}
