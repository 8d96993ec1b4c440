// Average pooling forward (Keras: 'same' windows average their valid cells only).
import source from '../../../shaders/avgpool2d.forward.wgsl?raw';
import { pool2dGeometry, type Pool2DParams } from '../../ops/reference/maxPool2d';
import type { KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { checkShape } from './conv2d';
import { pool2dOutputShape, pool2dUniforms } from './maxPool2d';

const WG = 256;

export const avgPool2dForwardKernel: KernelDef = {
  name: 'avgpool2d.forward',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

/** y [N, outH, outW, C] = mean of each window's valid cells of x [N, H, W, C]. */
export function prepareAvgPool2d(rt: GpuRuntime, x: GpuTensor, y: GpuTensor, params: Pool2DParams): Promise<Dispatch> {
  const g = pool2dGeometry(x.shape, params);
  checkShape('avgpool2d.forward', 'y', y, pool2dOutputShape(g, x.shape[3]));
  return rt.prepare(avgPool2dForwardKernel, [x, y], pool2dUniforms(g, x.shape[3]), rt.grid(y.size, WG));
}
