// Training-time noise (SpatialDropout2D, GaussianDropout, GaussianNoise), seeded per layer and
// step like dropout: `counter` element 0 is the training step, so backward recomputes forward's
// draws. One kernel serves forward (x -> y) and the multiplicative kinds' backward (dy -> dx).
// See shaders/noise.wgsl.
import source from '../../../shaders/noise.wgsl?raw';
import { NOISE_CODES, noiseUniforms, type NoiseKind } from '../../ops/reference/noise';
import { packUniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 256;

export const noiseKernel: KernelDef = {
  name: 'noise',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export interface GpuNoiseParams {
  kind: NoiseKind;
  /** The rate (dropout kinds) or standard deviation (gaussianNoise). */
  amount: number;
  seed: number;
  /** The last axis: spatial dropout draws once per sample and channel. */
  channels: number;
  /** Elements per sample. */
  perSample: number;
}

export function prepareNoise(rt: GpuRuntime, src: GpuTensor, counter: GpuTensor, out: GpuTensor, p: GpuNoiseParams): Promise<Dispatch> {
  if (src.size !== out.size) throw new Error(`noise ${p.kind}: input and output differ in size (${src.size}, ${out.size})`);
  if (counter.dtype !== 'uint32' || counter.size < 1) throw new Error(`noise ${p.kind}: counter must be a uint32 tensor with at least one element`);
  if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed > 0xffffffff) throw new Error(`noise ${p.kind}: seed must be a u32, got ${p.seed}`);
  if (src.size % p.perSample !== 0 || p.perSample % p.channels !== 0) {
    throw new Error(`noise ${p.kind}: ${src.size} elements are not samples of ${p.perSample} with ${p.channels} channels`);
  }
  const { threshold, scale } = noiseUniforms(p.kind, p.amount);
  const uniforms = packUniforms([
    ['u32', src.size], ['u32', p.seed], ['u32', NOISE_CODES[p.kind]], ['u32', p.channels], ['u32', p.perSample],
    ['f32', threshold], ['f32', scale],
  ]);
  return rt.prepare(noiseKernel, [src, counter, out], uniforms, rt.grid(src.size, WG));
}
