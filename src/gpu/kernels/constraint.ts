// A weight constraint (MaxNorm, UnitNorm, MinMaxNorm, NonNeg) applied in place, one invocation
// per norm group. See shaders/constraint.wgsl and ops/reference/constraint.ts.
import source from '../../../shaders/constraint.wgsl?raw';
import { EPSILON, type ConstraintParams } from '../../ops/reference/constraint';
import { packUniforms, type KernelDef, type UniformField } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 64;
const KINDS = { MaxNorm: 0, UnitNorm: 1, MinMaxNorm: 2, NonNeg: 3 } as const;

export const constraintKernel: KernelDef = {
  name: 'constraint',
  source: withCommon(source),
  bindings: ['storage', 'uniform'],
  constants: { WG },
};

/** Sizes and element strides of some axes of a row-major shape, padded in front to 4 with size 1. */
function axesOf(shape: readonly number[], axes: readonly number[]): { dims: number[]; strides: number[] } {
  const stride = shape.map((_, a) => shape.slice(a + 1).reduce((p, d) => p * d, 1));
  const pad = 4 - axes.length;
  return { dims: [...Array<number>(pad).fill(1), ...axes.map((a) => shape[a])], strides: [...Array<number>(pad).fill(0), ...axes.map((a) => stride[a])] };
}

export function prepareConstraint(rt: GpuRuntime, w: GpuTensor, c: ConstraintParams): Promise<Dispatch> {
  if (w.size !== c.shape.reduce((a, d) => a * d, 1)) throw new Error(`constraint: a weight of ${w.size} values for the shape [${c.shape.join(', ')}]`);
  // NonNeg: every element its own group.
  const reduced = c.kind === 'NonNeg' ? [] : c.axes;
  const kept = c.shape.map((_, a) => a).filter((a) => !reduced.includes(a));
  if (kept.length > 4 || reduced.length > 4) throw new Error(`constraint: weights of rank ${c.shape.length} are not supported (at most 4 axes each side)`);
  const k = axesOf(c.shape, kept);
  const r = axesOf(c.shape, reduced);
  const groups = k.dims.reduce((a, d) => a * d, 1);
  const reduce = r.dims.reduce((a, d) => a * d, 1);
  const u32 = (v: number): UniformField => ['u32', v];
  const uniforms = packUniforms([
    ...k.dims.map(u32), ...k.strides.map(u32), ...r.dims.map(u32), ...r.strides.map(u32),
    u32(groups), u32(reduce), u32(KINDS[c.kind]), u32(0),
    ['f32', c.minValue], ['f32', c.maxValue], ['f32', c.rate], ['f32', EPSILON],
  ]);
  return rt.prepare(constraintKernel, [w], uniforms, rt.grid(groups, WG));
}
