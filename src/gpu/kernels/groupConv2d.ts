// Grouped, dilated Conv2D forward (one invocation per output element); also the uniform packing
// and tensor checks its two gradient kernels share. See shaders/group_conv2d.forward.wgsl.
import source from '../../../shaders/group_conv2d.forward.wgsl?raw';
import type { ConvGeometry } from '../../ops/convGeometry';
import { inputShape2D, outputShape2D } from '../../ops/shapes';
import type { KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { checkShape, type GpuTensor } from '../tensor';
import { conv2dUniforms } from './conv2d';

export const GROUP_CONV_WG = 64;

export const groupConv2dForwardKernel: KernelDef = {
  name: 'group_conv2d.forward',
  source: withCommon(source),
  bindings: ['read', 'read', 'read', 'storage', 'uniform'],
  constants: { WG: GROUP_CONV_WG },
};

/** The conv2d geometry head, then dilation, groups and the kernel's own fields. */
export function groupConvUniforms(g: ConvGeometry, cin: number, cout: number, ...extra: number[]): ArrayBuffer {
  return conv2dUniforms(g, cin, cout, g.dilationH, g.dilationW, g.groups, ...extra);
}

/** Checks kernel [kH, kW, inC / groups, outC] against x [N, H, W, inC] and y [N, outH, outW, outC]; returns [inC, outC]. */
export function groupConvChannels(op: string, g: ConvGeometry, kernel: GpuTensor, x: [string, GpuTensor], y: [string, GpuTensor]): [number, number] {
  const cin = x[1].shape[3];
  const cout = kernel.shape[3];
  if (cin % g.groups !== 0 || cout % g.groups !== 0) throw new Error(`${op}: ${g.groups} groups do not divide inC ${cin} and outC ${cout}`);
  checkShape(op, 'kernel', kernel, [g.kH, g.kW, cin / g.groups, cout]);
  checkShape(op, x[0], x[1], inputShape2D(g, cin));
  checkShape(op, y[0], y[1], outputShape2D(g, cout));
  return [cin, cout];
}

/** y [N, outH, outW, outC] = grouped dilated conv(x [N, H, W, inC], kernel [kH, kW, inC / groups, outC]) + bias [outC]. */
export function prepareGroupConv2d(rt: GpuRuntime, x: GpuTensor, kernel: GpuTensor, bias: GpuTensor | null, y: GpuTensor, g: ConvGeometry): Promise<Dispatch> {
  const [cin, cout] = groupConvChannels('group_conv2d.forward', g, kernel, ['x', x], ['y', y]);
  if (bias) checkShape('group_conv2d.forward', 'bias', bias, [cout]);
  const uniforms = groupConvUniforms(g, cin, cout, bias ? 1 : 0);
  return rt.prepare(groupConv2dForwardKernel, [x, kernel, bias ?? kernel, y], uniforms, rt.grid(y.size, GROUP_CONV_WG));
}
