// y += bias per channel (the last axis), in place. See shaders/bias.add.wgsl.
import source from '../../../shaders/bias.add.wgsl?raw';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 256;

export const biasAddKernel: KernelDef = {
  name: 'bias.add',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

export function prepareBiasAdd(rt: GpuRuntime, bias: GpuTensor, y: GpuTensor): Promise<Dispatch> {
  const channels = bias.size;
  if (y.shape[y.shape.length - 1] !== channels) throw new Error(`bias.add: y [${y.shape}] does not end in the bias's ${channels} channels`);
  return rt.prepare(biasAddKernel, [bias, y], u32Uniforms(y.size, channels), rt.grid(y.size, WG));
}
