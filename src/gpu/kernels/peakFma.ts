// The peak-FMA microbenchmark kernel: `n` invocations x `iters` rounds x 32 flops.
import source from '../../../shaders/peak.fma.wgsl?raw';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 64;
export const PEAK_FLOPS_PER_ROUND = 32;

export const peakFmaKernel: KernelDef = {
  name: 'peak.fma',
  source: withCommon(source),
  bindings: ['storage', 'uniform'],
  constants: { WG },
};

export function preparePeakFma(rt: GpuRuntime, out: GpuTensor, iters: number): Promise<Dispatch> {
  return rt.prepare(peakFmaKernel, [out], u32Uniforms(out.size, iters), rt.grid(out.size, WG));
}
