// y = x * scale + offset, elementwise (Keras's Rescaling, and its gradient with offset 0).
// See shaders/scale.wgsl.
import source from '../../../shaders/scale.wgsl?raw';
import { packUniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 256;

export const scaleKernel: KernelDef = {
  name: 'scale',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

export function prepareScale(rt: GpuRuntime, x: GpuTensor, y: GpuTensor, scale: number, offset: number): Promise<Dispatch> {
  if (x.size !== y.size) throw new Error(`scale: sizes differ (x ${x.size}, y ${y.size})`);
  const uniforms = packUniforms([
    ['u32', x.size],
    ['f32', scale],
    ['f32', offset],
  ]);
  return rt.prepare(scaleKernel, [x, y], uniforms, rt.grid(x.size, WG));
}
