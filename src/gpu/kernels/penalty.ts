// A regularizer's penalty: per-element values (summed into a metric slot by metric.sum) and the
// gradient. See shaders/penalty.wgsl and ops/reference/penalty.ts.
import source from '../../../shaders/penalty.wgsl?raw';
import type { PenaltyParams } from '../../ops/reference/penalty';
import { packUniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 256;

export const penaltyKernel: KernelDef = {
  name: 'penalty',
  source: withCommon(source),
  bindings: ['read', 'storage', 'storage', 'uniform'],
  constants: { WG },
};

/**
 * values[i] = l1 |x[i]| + l2 x[i]^2; with hasGrad, dx = dp/dx with p = sum(values) / divide.
 * Without it dx is not written: any other small buffer (bindings may not alias values).
 */
export function preparePenalty(rt: GpuRuntime, x: GpuTensor, values: GpuTensor, dx: GpuTensor, p: PenaltyParams, hasGrad: boolean): Promise<Dispatch> {
  if (values.size !== x.size || (hasGrad && dx.size !== x.size)) throw new Error(`penalty: sizes differ (x ${x.size}, values ${values.size}, dx ${dx.size})`);
  const uniforms = packUniforms([['u32', x.size], ['u32', hasGrad ? 1 : 0], ['f32', p.l1], ['f32', p.l2], ['f32', p.divide]]);
  return rt.prepare(penaltyKernel, [x, values, dx], uniforms, rt.grid(x.size, WG));
}
