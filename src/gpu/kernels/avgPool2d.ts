// Average pooling forward (Keras: 'same' windows average their valid cells only).
import source from '../../../shaders/avgpool2d.forward.wgsl?raw';
import type { Geometry2D } from '../../ops/shapes';
import type { KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { poolChannels, pool2dUniforms } from './maxPool2d';

const WG = 256;

export const avgPool2dForwardKernel: KernelDef = {
  name: 'avgpool2d.forward',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

/** y [N, outH, outW, C] = mean of each window's valid cells of x [N, H, W, C]. */
export function prepareAvgPool2d(rt: GpuRuntime, x: GpuTensor, y: GpuTensor, g: Geometry2D): Promise<Dispatch> {
  const c = poolChannels('avgpool2d.forward', g, ['x', x], ['y', y]);
  return rt.prepare(avgPool2dForwardKernel, [x, y], pool2dUniforms(g, c), rt.grid(y.size, WG));
}
