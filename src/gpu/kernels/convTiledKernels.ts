// The real-GPU conv2d kernels: implicit GEMMs with 64x64 output tiles staged through workgroup
// memory (see the shaders' headers), listed as variants 'tiled' (16x16 invocations of 4x4
// outputs) and 'tiled_8x8' (8x8 invocations of 8x8) by conv2d.ts, conv2dGradInput.ts and
// conv2dGradFilter.ts. Same bindings, uniforms and geometry constants as the register-blocked
// kernels; valid for any channel counts, strides and padding. A leaf module, so the op modules can
// list these without an import cycle.
import forwardSource from '../../../shaders/conv2d.forward_tiled.wgsl?raw';
import forward8x8Source from '../../../shaders/conv2d.forward_tiled_8x8.wgsl?raw';
import gradInputSource from '../../../shaders/conv2d.grad_input_tiled.wgsl?raw';
import gradInput8x8Source from '../../../shaders/conv2d.grad_input_tiled_8x8.wgsl?raw';
import gradFilterSource from '../../../shaders/conv2d.grad_filter_tiled.wgsl?raw';
import gradFilter8x8Source from '../../../shaders/conv2d.grad_filter_tiled_8x8.wgsl?raw';
import type { Geometry2D } from '../../ops/shapes';
import type { KernelDef } from '../kernel';
import type { Workgroups } from '../runtime';
import { withConvGeometry } from '../shaders';

/** Output tile of one workgroup, both ways. */
export const CONV_TILE = 64;

/** Work per invocation: 4x4 outputs (16x16 invocations per tile) or 8x8 (8x8 invocations). */
export type TiledBlock = '4x4' | '8x8';

/** The variant names, by block. */
export const TILED_VARIANTS: Record<TiledBlock, string> = { '4x4': 'tiled', '8x8': 'tiled_8x8' };

const forward: KernelDef = { name: 'conv2d.forward_tiled', source: withConvGeometry(forwardSource), bindings: ['read', 'read', 'read', 'storage', 'uniform'] };
const gradInput: KernelDef = { name: 'conv2d.grad_input_tiled', source: withConvGeometry(gradInputSource), bindings: ['read', 'read', 'storage', 'uniform'] };
const gradFilter: KernelDef = { name: 'conv2d.grad_filter_tiled', source: withConvGeometry(gradFilterSource), bindings: ['read', 'read', 'storage', 'uniform'] };

export const CONV_TILED_KERNELS: Record<'forward' | 'gradInput' | 'gradFilter', Record<TiledBlock, KernelDef>> = {
  forward: { '4x4': forward, '8x8': { ...forward, name: 'conv2d.forward_tiled_8x8', source: withConvGeometry(forward8x8Source) } },
  gradInput: { '4x4': gradInput, '8x8': { ...gradInput, name: 'conv2d.grad_input_tiled_8x8', source: withConvGeometry(gradInput8x8Source) } },
  gradFilter: { '4x4': gradFilter, '8x8': { ...gradFilter, name: 'conv2d.grad_filter_tiled_8x8', source: withConvGeometry(gradFilter8x8Source) } },
};

/** Workgroups for a [rows, cols] output in CONV_TILE tiles (x along cols, y along rows), `z` deep. */
export function tiledWorkgroups(rows: number, cols: number, z = 1): Workgroups {
  return [Math.ceil(cols / CONV_TILE), Math.ceil(rows / CONV_TILE), z];
}

/** Aim for about this many workgroups in the filter gradient's pass 1, never chunks under MIN_CHUNK pixels. */
const TARGET_WORKGROUPS = 256;
const MIN_CHUNK = 128;
/** Pixels staged per step (chunks are multiples of it). */
const STEP = 16;

/** The tiled filter gradient's split of the N*outH*outW pixels: enough workgroups to fill a GPU. */
export function tiledGradFilterSplit(g: Geometry2D, cin: number, cout: number): { splits: number; chunk: number } {
  const pixels = g.batch * g.outH * g.outW;
  const tiles = Math.ceil((g.kH * g.kW * cin) / CONV_TILE) * Math.ceil(cout / CONV_TILE);
  const wanted = Math.max(1, Math.min(Math.ceil(TARGET_WORKGROUPS / tiles), Math.floor(pixels / MIN_CHUNK)));
  const chunk = Math.ceil(pixels / wanted / STEP) * STEP;
  return { splits: Math.ceil(pixels / chunk), chunk };
}
