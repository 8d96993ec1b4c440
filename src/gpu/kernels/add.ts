// out = a + b, elementwise (gradient accumulation where a tensor has several consumers).
import source from '../../../shaders/add.wgsl?raw';
import type { KernelDef } from '../kernel';
import { u32Uniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 256;

export const addKernel: KernelDef = {
  name: 'add',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export function prepareAdd(rt: GpuRuntime, a: GpuTensor, b: GpuTensor, out: GpuTensor): Promise<Dispatch> {
  if (a.size !== b.size || a.size !== out.size) {
    throw new Error(`add: sizes differ (a ${a.size}, b ${b.size}, out ${out.size})`);
  }
  return rt.prepare(addKernel, [a, b, out], u32Uniforms(a.size), rt.grid(a.size, WG));
}
