// Axis permutation of a tensor of rank <= 8 (Permute and its gradient). See shaders/transpose.wgsl.
import source from '../../../shaders/transpose.wgsl?raw';
import { stridesOf, transposedShape } from '../../ops/reference/transpose';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { checkSize, type GpuTensor } from '../tensor';

const WG = 256;
const MAX_RANK = 8;

export const transposeKernel: KernelDef = {
  name: 'transpose',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

/** y = x [xShape] with its axes in the order `perm` (y.shape[k] = xShape[perm[k]]). */
export function prepareTranspose(rt: GpuRuntime, x: GpuTensor, y: GpuTensor, xShape: readonly number[], perm: readonly number[]): Promise<Dispatch> {
  const rank = xShape.length;
  const isPerm = perm.length === rank && [...perm].sort((a, b) => a - b).every((p, k) => p === k);
  if (!isPerm || rank > MAX_RANK) throw new Error(`transpose: [${perm.join(', ')}] is not a permutation of ${rank} <= ${MAX_RANK} axes`);
  checkSize('transpose', 'x', x, xShape);
  const dims = transposedShape(xShape, perm);
  checkSize('transpose', 'y', y, dims);
  const xStrides = stridesOf(xShape);
  const fill = (values: number[]) => [...values, ...new Array<number>(MAX_RANK - values.length).fill(1)];
  const uniforms = u32Uniforms(x.size, rank, 0, 0, ...fill(dims), ...fill(perm.map((p) => xStrides[p])));
  return rt.prepare(transposeKernel, [x, y], uniforms, rt.grid(x.size, WG));
}
