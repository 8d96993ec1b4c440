// Zero padding and cropping of NHWC images, each the other's gradient. See shaders/pad2d.wgsl.
import source from '../../../shaders/pad2d.wgsl?raw';
import type { Pad2D } from '../../ops/reference/pad2d';
import { packUniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { checkSize, type GpuTensor } from '../tensor';

const WG = 256;

export const pad2dKernel: KernelDef = {
  name: 'pad2d',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

/** y [N, outH, outW, C] = x [N, H, W, C] shifted by (top, left), zeros outside. */
export function preparePad2d(rt: GpuRuntime, x: GpuTensor, y: GpuTensor, p: Pad2D): Promise<Dispatch> {
  const [n, h, w, c] = p.xShape;
  checkSize('pad2d', 'x', x, p.xShape);
  checkSize('pad2d', 'y', y, [n, p.outH, p.outW, c]);
  const uniforms = packUniforms([
    ['u32', y.size], ['u32', p.outH], ['u32', p.outW], ['u32', c],
    ['i32', h], ['i32', w], ['i32', p.top], ['i32', p.left],
  ]);
  return rt.prepare(pad2dKernel, [x, y], uniforms, rt.grid(y.size, WG));
}
