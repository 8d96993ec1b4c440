// state = momentum * state + (1 - momentum) * x, in place: a training step's update of
// non-trainable running statistics (a view into the packed weights). See shaders/moving_average.wgsl.
import source from '../../../shaders/moving_average.wgsl?raw';
import { packUniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 256;

export const movingAverageKernel: KernelDef = {
  name: 'moving_average',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

export function prepareMovingAverage(rt: GpuRuntime, x: GpuTensor, state: GpuTensor, momentum: number): Promise<Dispatch> {
  if (x.size !== state.size) throw new Error(`movingAverage: sizes differ (x ${x.size}, state ${state.size})`);
  const uniforms = packUniforms([
    ['u32', state.size],
    ['f32', momentum],
    ['f32', 1 - momentum],
  ]);
  return rt.prepare(movingAverageKernel, [x, state], uniforms, rt.grid(state.size, WG));
}
