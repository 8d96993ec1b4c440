// dx of normalize: dy * gamma * inverseStd with fixed statistics, or, given the sums of
// normalizeGradSums, the exact gradient through the batch statistics.
// See shaders/normalize.grad_input.wgsl; a missing gamma or sums binds `variance` in its place.
import source from '../../../shaders/normalize.grad_input.wgsl?raw';
import { packUniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { channelsOf, type NormalizeStats } from './normalize';

const WG = 256;

export const normalizeGradInputKernel: KernelDef = {
  name: 'normalize.grad_input',
  source: withCommon(source),
  bindings: ['read', 'read', 'read', 'read', 'read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export function prepareNormalizeGradInput(
  rt: GpuRuntime,
  dy: GpuTensor,
  x: GpuTensor,
  s: NormalizeStats,
  gamma: GpuTensor | null,
  sums: GpuTensor | null,
  dx: GpuTensor,
): Promise<Dispatch> {
  const channels = channelsOf('normalizeGradInput', x, [s.mean, s.variance, gamma]);
  if (dy.size !== x.size || dx.size !== x.size) throw new Error(`normalizeGradInput: dy, x and dx sizes differ (${dy.size}, ${x.size}, ${dx.size})`);
  if (sums && sums.size !== 2 * channels) throw new Error(`normalizeGradInput: sums must hold 2 * ${channels} values`);
  const uniforms = packUniforms([
    ['u32', x.size],
    ['u32', channels],
    ['f32', s.epsilon],
    ['u32', s.floor ? 1 : 0],
    ['u32', gamma ? 1 : 0],
    ['u32', sums ? 1 : 0],
  ]);
  const tensors = [dy, x, s.mean, s.variance, gamma ?? s.variance, sums ?? s.variance, dx];
  return rt.prepare(normalizeGradInputKernel, tensors, uniforms, rt.grid(x.size, WG));
}
