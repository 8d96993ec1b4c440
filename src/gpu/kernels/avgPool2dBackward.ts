// Average pooling backward (gather form, no atomics).
import source from '../../../shaders/avgpool2d.backward.wgsl?raw';
import { pool2dGeometry, type Pool2DParams } from '../../ops/reference/maxPool2d';
import type { KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { checkShape } from './conv2d';
import { pool2dOutputShape, pool2dUniforms } from './maxPool2d';

const WG = 256;

export const avgPool2dBackwardKernel: KernelDef = {
  name: 'avgpool2d.backward',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

/** dx [N, H, W, C]: each dy [N, outH, outW, C] element spread evenly over its window's valid cells. */
export function prepareAvgPool2dBackward(rt: GpuRuntime, dy: GpuTensor, dx: GpuTensor, params: Pool2DParams): Promise<Dispatch> {
  const g = pool2dGeometry(dx.shape, params);
  checkShape('avgpool2d.backward', 'dy', dy, pool2dOutputShape(g, dx.shape[3]));
  return rt.prepare(avgPool2dBackwardKernel, [dy, dx], pool2dUniforms(g, dx.shape[3]), rt.grid(dx.size, WG));
}
