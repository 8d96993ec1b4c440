// Per-channel mean and biased variance of x [..., C] (batch normalization's batch statistics).
// See shaders/moments.wgsl: one workgroup per channel.
import source from '../../../shaders/moments.wgsl?raw';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 256;

export const momentsKernel: KernelDef = {
  name: 'moments',
  source: withCommon(source),
  bindings: ['read', 'storage', 'storage', 'uniform'],
  constants: { WG },
};

export function prepareMoments(rt: GpuRuntime, x: GpuTensor, mean: GpuTensor, variance: GpuTensor): Promise<Dispatch> {
  const channels = x.shape[x.shape.length - 1];
  if (mean.size !== channels || variance.size !== channels || !(channels > 0)) {
    throw new Error(`moments: mean ${shapeString(mean.shape)} and variance ${shapeString(variance.shape)} must be [${channels}], the last axis of x ${shapeString(x.shape)}`);
  }
  return rt.prepare(momentsKernel, [x, mean, variance], u32Uniforms(x.size / channels, channels), [channels, 1, 1]);
}
