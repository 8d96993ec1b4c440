// Grouped, dilated Conv2D kernel gradient, one invocation per kernel element.
// See shaders/group_conv2d.grad_filter.wgsl.
import source from '../../../shaders/group_conv2d.grad_filter.wgsl?raw';
import type { ConvGeometry } from '../../ops/convGeometry';
import type { KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { GROUP_CONV_WG, groupConvChannels, groupConvUniforms } from './groupConv2d';

export const groupConv2dGradFilterKernel: KernelDef = {
  name: 'group_conv2d.grad_filter',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG: GROUP_CONV_WG },
};

/** dkernel [kH, kW, inC / groups, outC] from x [N, H, W, inC] and dy [N, outH, outW, outC]. */
export function prepareGroupConv2dGradFilter(rt: GpuRuntime, x: GpuTensor, dy: GpuTensor, dkernel: GpuTensor, g: ConvGeometry): Promise<Dispatch> {
  const [cin, cout] = groupConvChannels('group_conv2d.grad_filter', g, dkernel, ['x', x], ['dy', dy]);
  return rt.prepare(groupConv2dGradFilterKernel, [x, dy, dkernel], groupConvUniforms(g, cin, cout), rt.grid(dkernel.size, GROUP_CONV_WG));
}
