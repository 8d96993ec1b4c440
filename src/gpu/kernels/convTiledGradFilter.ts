// Conv2D filter gradient for real GPUs: a GEMM with 64x64 tiles of dkernel staged through
// workgroup memory, split along the N*outH*outW pixels (partials in a caller-owned tensor, then
// conv2d.grad_filter_sum.wgsl). Same tensors and geometry as prepareConv2dGradFilter; its own
// partials shape (conv2dGradFilterTiledPartialsShape).
import source from '../../../shaders/conv2d.grad_filter_tiled.wgsl?raw';
import block8Source from '../../../shaders/conv2d.grad_filter_tiled_8x8.wgsl?raw';
import type { Geometry2D } from '../../ops/shapes';
import { u32Uniforms, withConstants, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withConvGeometry } from '../shaders';
import { checkShape, sizeOf, type GpuTensor } from '../tensor';
import { conv2dUniforms, convChannels, convGeometry } from './conv2d';
import { conv2dGradFilterSumKernel } from './conv2dGradFilter';
import { CONV_TILE, type TiledBlock } from './convTiled';

/** Aim for about this many workgroups in pass 1, but never chunks under MIN_CHUNK pixels. */
const TARGET_WORKGROUPS = 256;
const MIN_CHUNK = 128;
/** Pixels staged per step (chunks are multiples of it). */
const STEP = 16;
const SUM_WG = 256;

export const conv2dGradFilterTiledKernel: KernelDef = {
  name: 'conv2d.grad_filter_tiled',
  source: withConvGeometry(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
};

/** Same bindings, uniforms, tiles and split; 8x8 invocations of 8 rows x 8 channels each. */
export const conv2dGradFilterTiled8x8Kernel: KernelDef = { ...conv2dGradFilterTiledKernel, name: 'conv2d.grad_filter_tiled_8x8', source: withConvGeometry(block8Source) };

/** How many chunks of how many pixels: enough workgroups to fill a GPU, chunks not too short. */
function split(g: Geometry2D, cin: number, cout: number): { splits: number; chunk: number } {
  const pixels = g.batch * g.outH * g.outW;
  const tiles = Math.ceil((g.kH * g.kW * cin) / CONV_TILE) * Math.ceil(cout / CONV_TILE);
  const wanted = Math.max(1, Math.min(Math.ceil(TARGET_WORKGROUPS / tiles), Math.floor(pixels / MIN_CHUNK)));
  const chunk = Math.ceil(pixels / wanted / STEP) * STEP;
  return { splits: Math.ceil(pixels / chunk), chunk };
}

/** Shape of the scratch tensor prepareConv2dGradFilterTiled needs: [splits, kH, kW, inC, outC]. */
export function conv2dGradFilterTiledPartialsShape(g: Geometry2D, kernelShape: readonly number[]): number[] {
  const [cin, cout] = kernelShape.slice(-2);
  return [split(g, cin, cout).splits, g.kH, g.kW, cin, cout];
}

/** As prepareConv2dGradFilter: dkernel [kH, kW, inC, outC] in two dispatches, recorded in order. */
export async function prepareConv2dGradFilterTiled(
  rt: GpuRuntime,
  x: GpuTensor,
  dy: GpuTensor,
  dkernel: GpuTensor,
  partials: GpuTensor,
  g: Geometry2D,
  block: TiledBlock = '4x4',
): Promise<Dispatch[]> {
  const op = 'conv2d.grad_filter_tiled';
  const [cin, cout] = convChannels(op, g, dkernel, ['x', x], ['dy', dy]);
  checkShape(op, 'partials', partials, conv2dGradFilterTiledPartialsShape(g, dkernel.shape));
  const { splits, chunk } = split(g, cin, cout);
  const size = sizeOf(dkernel.shape);
  const workgroups = [Math.ceil(cout / CONV_TILE), Math.ceil((g.kH * g.kW * cin) / CONV_TILE), splits] as const;
  return [
    await rt.prepare(withConstants(block === '8x8' ? conv2dGradFilterTiled8x8Kernel : conv2dGradFilterTiledKernel, convGeometry(g, cin, cout)), [x, dy, partials], conv2dUniforms(g, cin, cout, chunk, splits), workgroups),
    await rt.prepare(conv2dGradFilterSumKernel, [partials, dkernel], u32Uniforms(size, splits), rt.grid(size, SUM_WG)),
  ];
}
