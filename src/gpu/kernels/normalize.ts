// y = (x - mean) * inverseStd(variance) * gamma + beta per channel of x [..., C] (BatchNormalization,
// Normalization). See shaders/normalize.forward.wgsl; a missing gamma or beta binds `variance` in
// its place and reads as 1 or 0.
import source from '../../../shaders/normalize.forward.wgsl?raw';
import { packUniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 256;

export const normalizeKernel: KernelDef = {
  name: 'normalize.forward',
  source: withCommon(source),
  bindings: ['read', 'read', 'read', 'read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** The per-channel tensors and constants a normalization reads. */
export interface NormalizeStats {
  mean: GpuTensor;
  variance: GpuTensor;
  epsilon: number;
  /** 1 / max(sqrt(variance), epsilon) instead of 1 / sqrt(variance + epsilon). */
  floor: boolean;
}

/** The channel count of x [..., C], checked against every per-channel tensor given. */
export function channelsOf(op: string, x: GpuTensor, perChannel: (GpuTensor | null)[]): number {
  const channels = x.shape[x.shape.length - 1];
  for (const t of perChannel) {
    if (t && t.size !== channels) throw new Error(`${op}: ${shapeString(t.shape)} must be [${channels}], the last axis of x ${shapeString(x.shape)}`);
  }
  return channels;
}

export function prepareNormalize(rt: GpuRuntime, x: GpuTensor, s: NormalizeStats, gamma: GpuTensor | null, beta: GpuTensor | null, y: GpuTensor): Promise<Dispatch> {
  const channels = channelsOf('normalize', x, [s.mean, s.variance, gamma, beta]);
  if (x.size !== y.size) throw new Error(`normalize: sizes differ (x ${x.size}, y ${y.size})`);
  const uniforms = packUniforms([
    ['u32', x.size],
    ['u32', channels],
    ['f32', s.epsilon],
    ['u32', s.floor ? 1 : 0],
    ['u32', gamma ? 1 : 0],
    ['u32', beta ? 1 : 0],
  ]);
  return rt.prepare(normalizeKernel, [x, s.mean, s.variance, gamma ?? s.variance, beta ?? s.variance, y], uniforms, rt.grid(x.size, WG));
}
