// Grouped, dilated Conv2D input gradient, one invocation per input element (a gather).
// See shaders/group_conv2d.grad_input.wgsl.
import source from '../../../shaders/group_conv2d.grad_input.wgsl?raw';
import type { ConvGeometry } from '../../ops/convGeometry';
import type { KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { GROUP_CONV_WG, groupConvChannels, groupConvUniforms } from './groupConv2d';

export const groupConv2dGradInputKernel: KernelDef = {
  name: 'group_conv2d.grad_input',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG: GROUP_CONV_WG },
};

/** dx [N, H, W, inC] from dy [N, outH, outW, outC] and kernel [kH, kW, inC / groups, outC]. */
export function prepareGroupConv2dGradInput(rt: GpuRuntime, dy: GpuTensor, kernel: GpuTensor, dx: GpuTensor, g: ConvGeometry): Promise<Dispatch> {
  const [cin, cout] = groupConvChannels('group_conv2d.grad_input', g, kernel, ['dx', dx], ['dy', dy]);
  return rt.prepare(groupConv2dGradInputKernel, [dy, kernel, dx], groupConvUniforms(g, cin, cout), rt.grid(dx.size, GROUP_CONV_WG));
}
