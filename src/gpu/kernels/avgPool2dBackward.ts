// Average pooling backward (gather form, no atomics).
import source from '../../../shaders/avgpool2d.backward.wgsl?raw';
import type { Geometry2D } from '../../ops/shapes';
import type { KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { poolChannels, pool2dUniforms } from './maxPool2d';

const WG = 256;

export const avgPool2dBackwardKernel: KernelDef = {
  name: 'avgpool2d.backward',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

/** dx [N, H, W, C]: each dy [N, outH, outW, C] element spread evenly over its window's valid cells. */
export function prepareAvgPool2dBackward(rt: GpuRuntime, dy: GpuTensor, dx: GpuTensor, g: Geometry2D): Promise<Dispatch> {
  const c = poolChannels('avgpool2d.backward', g, ['dx', dx], ['dy', dy]);
  return rt.prepare(avgPool2dBackwardKernel, [dy, dx], pool2dUniforms(g, c), rt.grid(dx.size, WG));
}
