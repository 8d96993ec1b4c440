// Max pooling backward (gather form, no atomics): dx from dy and the forward pass's argmax.
import source from '../../../shaders/maxpool2d.backward.wgsl?raw';
import tiledSource from '../../../shaders/maxpool2d.backward_tiled.wgsl?raw';
import type { Geometry2D } from '../../ops/shapes';
import type { KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { pickVariant, validVariants, type Variant } from '../tuning';
import { poolChannels, pool2dUniforms } from './maxPool2d';

const WG = 256;

export const maxPool2dBackwardKernel: KernelDef = {
  name: 'maxpool2d.backward',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** Same bindings and uniforms, when windows tile the input exactly and C % 4 == 0: one invocation per window. */
export const maxPool2dBackwardTiledKernel: KernelDef = { ...maxPool2dBackwardKernel, name: 'maxpool2d.backward_tiled', source: withCommon(tiledSource) };

/** Windows side by side with no gaps, overlaps or padding, covering every input cell. */
function tiles(g: Geometry2D): boolean {
  return g.strideH === g.kH && g.strideW === g.kW && g.outH * g.kH === g.inH && g.outW * g.kW === g.inW && g.padTop === 0 && g.padLeft === 0;
}

/** What the variants are valid for: the pooling geometry and the channel count. */
export interface PoolShape {
  g: Geometry2D;
  c: number;
}

interface PoolArgs {
  dy: GpuTensor;
  argmax: GpuTensor;
  dx: GpuTensor;
}

/** In order: the first valid one is the default (the fastest on SwiftShader); append new ones at the end. */
export const MAX_POOL_BACKWARD_VARIANTS: readonly Variant<PoolShape, PoolArgs>[] = [
  {
    name: 'tiled',
    valid: ({ g, c }) => tiles(g) && c % 4 === 0,
    prepare: async (rt, a, { g, c }) => [await rt.prepare(maxPool2dBackwardTiledKernel, [a.dy, a.argmax, a.dx], pool2dUniforms(g, c), rt.grid(a.dy.size / 4, WG))],
  },
  {
    name: 'plain',
    valid: () => true,
    prepare: async (rt, a, { g, c }) => [await rt.prepare(maxPool2dBackwardKernel, [a.dy, a.argmax, a.dx], pool2dUniforms(g, c), rt.grid(a.dx.size, WG))],
  },
];

/** The variants valid for this geometry and channel count, the default first. */
export function maxPool2dBackwardVariants(g: Geometry2D, c: number): string[] {
  return validVariants(MAX_POOL_BACKWARD_VARIANTS, { g, c });
}

/**
 * dx [N, H, W, C]: each dy [N, outH, outW, C] element goes to its window's winner in argmax.
 * `variant`: one of maxPool2dBackwardVariants(g, C); default the first.
 */
export async function prepareMaxPool2dBackward(
  rt: GpuRuntime,
  dy: GpuTensor,
  argmax: GpuTensor,
  dx: GpuTensor,
  g: Geometry2D,
  variant?: string,
): Promise<Dispatch> {
  const c = poolChannels('maxpool2d.backward', g, ['dx', dx], ['dy', dy], ['argmax', argmax]);
  if (argmax.dtype !== 'uint32') throw new Error('maxpool2d.backward: argmax must be a uint32 tensor');
  const s = { g, c };
  const v = pickVariant('maxpool2d.backward', MAX_POOL_BACKWARD_VARIANTS, s, `channels ${c}, ${tiles(g) ? '' : 'non-'}tiling windows`, variant);
  const [d] = await v.prepare(rt, { dy, argmax, dx }, s);
  return d;
}
