// Elementwise merges of two tensors (Subtract, Multiply, Maximum, Minimum) and the winner's
// gradient of Maximum and Minimum. See shaders/merge.wgsl and shaders/merge_grad.wgsl.
import source from '../../../shaders/merge.wgsl?raw';
import gradSource from '../../../shaders/merge_grad.wgsl?raw';
import { MERGE_CODES, type MergeKind, type WinnerKind } from '../../ops/reference/merge';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 256;

export const mergeKernel: KernelDef = {
  name: 'merge',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export const mergeGradKernel: KernelDef = {
  name: 'merge_grad',
  source: withCommon(gradSource),
  bindings: ['read', 'read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

function checkSizes(what: string, ts: GpuTensor[]): void {
  if (ts.some((t) => t.size !== ts[0].size)) throw new Error(`${what}: sizes differ (${ts.map((t) => t.size).join(', ')})`);
}

/** y = a - b, a * b, max(a, b) or min(a, b). */
export function prepareMerge(rt: GpuRuntime, a: GpuTensor, b: GpuTensor, y: GpuTensor, kind: MergeKind): Promise<Dispatch> {
  checkSizes(`merge ${kind}`, [a, b, y]);
  return rt.prepare(mergeKernel, [a, b, y], u32Uniforms(y.size, MERGE_CODES[kind]), rt.grid(y.size, WG));
}

/** dx = dy * a's share of max(a, b) or min(a, b): 1 if it wins, 1/2 on a tie, else 0. */
export function prepareMergeGrad(rt: GpuRuntime, dy: GpuTensor, a: GpuTensor, b: GpuTensor, dx: GpuTensor, kind: WinnerKind): Promise<Dispatch> {
  checkSizes(`merge ${kind} gradient`, [dy, a, b, dx]);
  return rt.prepare(mergeGradKernel, [dy, a, b, dx], u32Uniforms(dx.size, MERGE_CODES[kind]), rt.grid(dx.size, WG));
}
