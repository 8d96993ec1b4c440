// PReLU forward and its two gradients (shaders/prelu.forward.wgsl, .grad_input.wgsl,
// .grad_alpha.wgsl): one uniform layout, the feature dims and alpha's strides per axis.
import forwardSource from '../../../shaders/prelu.forward.wgsl?raw';
import gradInputSource from '../../../shaders/prelu.grad_input.wgsl?raw';
import gradAlphaSource from '../../../shaders/prelu.grad_alpha.wgsl?raw';
import type { PreluGeometry } from '../../ops/reference/prelu';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 256;
const ALPHA_WG = 64;
const MAX_RANK = 8;

export const preluKernel: KernelDef = { name: 'prelu.forward', source: withCommon(forwardSource), bindings: ['read', 'read', 'storage', 'uniform'], constants: { WG } };
export const preluGradInputKernel: KernelDef = {
  name: 'prelu.grad_input',
  source: withCommon(gradInputSource),
  bindings: ['read', 'read', 'read', 'storage', 'uniform'],
  constants: { WG },
};
export const preluGradAlphaKernel: KernelDef = {
  name: 'prelu.grad_alpha',
  source: withCommon(gradAlphaSource),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG: ALPHA_WG },
};

function uniforms(n: number, alphaSize: number, g: PreluGeometry): ArrayBuffer {
  const rank = g.features.length;
  if (rank < 1 || rank > MAX_RANK || g.alphaStrides.length !== rank) throw new Error(`prelu: features of rank 1 to ${MAX_RANK}, got ${rank}`);
  const feat = g.features.reduce((a, d) => a * d, 1);
  const sharedCount = g.features.reduce((a, d, j) => (g.alphaStrides[j] === 0 ? a * d : a), 1);
  const pad = (v: number[]) => [...v, ...new Array<number>(MAX_RANK - v.length).fill(0)];
  return u32Uniforms(n, feat, rank, alphaSize, n / feat, sharedCount, 0, 0, ...pad(g.features), ...pad(g.alphaStrides));
}

function check(x: GpuTensor, alphaSize: number, g: PreluGeometry): void {
  const feat = g.features.reduce((a, d) => a * d, 1);
  if (x.size % feat !== 0) throw new Error(`prelu: ${x.size} elements are not whole samples of ${feat} features`);
  if (alphaSize * g.features.reduce((a, d, j) => (g.alphaStrides[j] === 0 ? a * d : a), 1) !== feat) {
    throw new Error(`prelu: alpha of ${alphaSize} elements does not fit features [${g.features.join(', ')}] with strides [${g.alphaStrides.join(', ')}]`);
  }
}

export function preparePrelu(rt: GpuRuntime, x: GpuTensor, alpha: GpuTensor, y: GpuTensor, g: PreluGeometry): Promise<Dispatch> {
  check(x, alpha.size, g);
  return rt.prepare(preluKernel, [x, alpha, y], uniforms(x.size, alpha.size, g), rt.grid(x.size, WG));
}

export function preparePreluGradInput(rt: GpuRuntime, dy: GpuTensor, x: GpuTensor, alpha: GpuTensor, dx: GpuTensor, g: PreluGeometry): Promise<Dispatch> {
  check(x, alpha.size, g);
  return rt.prepare(preluGradInputKernel, [dy, x, alpha, dx], uniforms(x.size, alpha.size, g), rt.grid(x.size, WG));
}

export function preparePreluGradAlpha(rt: GpuRuntime, dy: GpuTensor, x: GpuTensor, dalpha: GpuTensor, g: PreluGeometry): Promise<Dispatch> {
  check(x, dalpha.size, g);
  return rt.prepare(preluGradAlphaKernel, [dy, x, dalpha], uniforms(x.size, dalpha.size, g), rt.grid(dalpha.size, ALPHA_WG));
}
