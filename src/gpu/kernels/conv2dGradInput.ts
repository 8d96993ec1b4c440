// Conv2D input gradient (gather form, no atomics): dx from dy and the kernel.
import source from '../../../shaders/conv2d.grad_input.wgsl?raw';
import vec4Source from '../../../shaders/conv2d.grad_input_vec4.wgsl?raw';
import block8Source from '../../../shaders/conv2d.grad_input_8x8.wgsl?raw';
import type { Geometry2D } from '../../ops/shapes';
import { withConstants, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withConvGeometry } from '../shaders';
import type { GpuTensor } from '../tensor';
import { CONV_PIX, conv2dUniforms, convChannels, convGeometry } from './conv2d';

const WG = 64;

export const conv2dGradInputKernel: KernelDef = {
  name: 'conv2d.grad_input',
  source: withConvGeometry(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** Same bindings and uniforms, for inC % 4 == 0 and outC % 4 == 0: reads dy and kernel as vec4s. */
export const conv2dGradInputVec4Kernel: KernelDef = { ...conv2dGradInputKernel, name: 'conv2d.grad_input_vec4', source: withConvGeometry(vec4Source) };

/** Same, for inC % 8 == 0 and outC % 4 == 0: 8 pixels x 8 input channels per invocation. */
export const conv2dGradInput8x8Kernel: KernelDef = { ...conv2dGradInputKernel, name: 'conv2d.grad_input_8x8', source: withConvGeometry(block8Source) };

/**
 * dx [N, H, W, inC] from dy [N, outH, outW, outC] and kernel [kH, kW, inC, outC]. dy is the
 * gradient of the pre-activation output: apply a fused activation's gradient before this.
 */
export function prepareConv2dGradInput(
  rt: GpuRuntime,
  dy: GpuTensor,
  kernel: GpuTensor,
  dx: GpuTensor,
  g: Geometry2D,
): Promise<Dispatch> {
  const [cin, cout] = convChannels('conv2d.grad_input', g, kernel, ['dx', dx], ['dy', dy]);
  const rows = g.batch * g.inH * g.inW;
  const uniforms = conv2dUniforms(g, cin, cout);
  const geometry = convGeometry(g, cin, cout);
  if (cin % 8 === 0 && cout % 4 === 0) {
    return rt.prepare(withConstants(conv2dGradInput8x8Kernel, geometry), [dy, kernel, dx], uniforms, rt.grid(Math.ceil(rows / 8) * (cin / 8), WG));
  }
  const workgroups = rt.grid(Math.ceil(rows / CONV_PIX) * Math.ceil(cin / 4), WG);
  const def = cin % 4 === 0 && cout % 4 === 0 ? conv2dGradInputVec4Kernel : conv2dGradInputKernel;
  return rt.prepare(withConstants(def, geometry), [dy, kernel, dx], uniforms, workgroups);
}
