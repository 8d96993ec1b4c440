// sums [2, C] = per channel, the sum of dy and of dy * xhat: normalize's dbeta and dgamma, and
// what its batch-statistics input gradient reads. See shaders/normalize.grad_sums.wgsl: one
// workgroup per channel.
import source from '../../../shaders/normalize.grad_sums.wgsl?raw';
import { packUniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { channelsOf, type NormalizeStats } from './normalize';

const WG = 256;

export const normalizeGradSumsKernel: KernelDef = {
  name: 'normalize.grad_sums',
  source: withCommon(source),
  bindings: ['read', 'read', 'read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export function prepareNormalizeGradSums(rt: GpuRuntime, dy: GpuTensor, x: GpuTensor, s: NormalizeStats, sums: GpuTensor): Promise<Dispatch> {
  const channels = channelsOf('normalizeGradSums', x, [s.mean, s.variance]);
  if (dy.size !== x.size || sums.size !== 2 * channels) throw new Error(`normalizeGradSums: dy must match x and sums hold 2 * ${channels} values`);
  const uniforms = packUniforms([
    ['u32', x.size / channels],
    ['u32', channels],
    ['f32', s.epsilon],
    ['u32', s.floor ? 1 : 0],
  ]);
  return rt.prepare(normalizeGradSumsKernel, [dy, x, s.mean, s.variance, sums], uniforms, [channels, 1, 1]);
}
