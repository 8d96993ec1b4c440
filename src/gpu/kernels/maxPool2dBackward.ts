// Max pooling backward (gather form, no atomics): dx from dy and the forward pass's argmax.
import source from '../../../shaders/maxpool2d.backward.wgsl?raw';
import tiledSource from '../../../shaders/maxpool2d.backward_tiled.wgsl?raw';
import type { Geometry2D } from '../../ops/shapes';
import type { KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
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

/** dx [N, H, W, C]: each dy [N, outH, outW, C] element goes to its window's winner in argmax. */
export function prepareMaxPool2dBackward(
  rt: GpuRuntime,
  dy: GpuTensor,
  argmax: GpuTensor,
  dx: GpuTensor,
  g: Geometry2D,
): Promise<Dispatch> {
  const c = poolChannels('maxpool2d.backward', g, ['dx', dx], ['dy', dy], ['argmax', argmax]);
  if (argmax.dtype !== 'uint32') throw new Error('maxpool2d.backward: argmax must be a uint32 tensor');
  if (tiles(g) && c % 4 === 0) {
    return rt.prepare(maxPool2dBackwardTiledKernel, [dy, argmax, dx], pool2dUniforms(g, c), rt.grid(dy.size / 4, WG));
  }
  return rt.prepare(maxPool2dBackwardKernel, [dy, argmax, dx], pool2dUniforms(g, c), rt.grid(dx.size, WG));
}
