// Inverted dropout (training only; at inference a Dropout layer is skipped). One kernel serves
// forward (x -> y) and backward (dy -> dx): both multiply by the same recomputed mask and scale.
// `counter` is a uint32 tensor whose element 0 is the training step (e.g. the optimizer state's
// `iterations`, see optimizerStep.ts): forward and backward of one step must read the same value,
// so the counter advances after backward. Each Dropout layer needs its own seed.
import source from '../../../shaders/dropout.wgsl?raw';
import { checkDropoutRate, dropoutScale } from '../../ops/dropout';
import type { KernelDef } from '../kernel';
import { packUniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 256;

export const dropoutKernel: KernelDef = {
  name: 'dropout',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export interface GpuDropoutParams {
  rate: number;
  seed: number;
}

function prepareMask(rt: GpuRuntime, what: string, src: GpuTensor, counter: GpuTensor, out: GpuTensor, p: GpuDropoutParams): Promise<Dispatch> {
  checkDropoutRate(p.rate);
  if (src.size !== out.size) {
    throw new Error(`dropout ${what}: input ${shapeString(src.shape)} and output ${shapeString(out.shape)} differ in size`);
  }
  if (counter.dtype !== 'uint32' || counter.size < 1) {
    throw new Error(`dropout ${what}: counter must be a uint32 tensor with at least one element`);
  }
  if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed > 0xffffffff) {
    throw new Error(`dropout ${what}: seed must be a u32, got ${p.seed}`);
  }
  const uniforms = packUniforms([
    ['u32', src.size],
    ['u32', p.seed],
    ['f32', p.rate],
    ['f32', dropoutScale(p.rate)],
  ]);
  return rt.prepare(dropoutKernel, [src, counter, out], uniforms, rt.grid(src.size, WG));
}

/** y = dropout(x) with the mask of (seed, counter[0]). */
export function prepareDropoutForward(rt: GpuRuntime, x: GpuTensor, counter: GpuTensor, y: GpuTensor, p: GpuDropoutParams): Promise<Dispatch> {
  return prepareMask(rt, 'forward', x, counter, y, p);
}

/** dx = dy through the same mask and scale as forward at the same counter value. */
export function prepareDropoutBackward(rt: GpuRuntime, dy: GpuTensor, counter: GpuTensor, dx: GpuTensor, p: GpuDropoutParams): Promise<Dispatch> {
  return prepareMask(rt, 'backward', dy, counter, dx, p);
}
