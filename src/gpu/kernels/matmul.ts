// C = act(op(A) · op(B) + bias): Dense forward (x · W + b), input gradient (dY · W^T) and weight
// gradient (X^T · dY). Tensors of rank > 2 are viewed as 2-D [product of leading axes, last axis].
import source from '../../../shaders/matmul.wgsl?raw';
import { ACTIVATION_CODES, type ElementwiseActivation } from '../../ops/activations';
import type { KernelDef } from '../kernel';
import { u32Uniforms, withConstants } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
  bias?: GpuTensor;
  activation?: ElementwiseActivation;
  /** Stage tiles in workgroup memory (see shaders/matmul.wgsl). Default: MATMUL_TILED. */
  tiled?: boolean;
}

/**
 * Measured on SwiftShader (see the commit): the register-blocked variant without workgroup memory
 * is several times faster there, so it is the default; set true for discrete GPUs.
 */
export const MATMUL_TILED = false;
const WG_X = 8;
const WG_Y = 8;

export function matmulKernel(transA: boolean, transB: boolean, hasBias: boolean, tiled: boolean, activation: ElementwiseActivation = 'linear'): KernelDef {
  return {
    name: `matmul${transA ? '.tA' : ''}${transB ? '.tB' : ''}`,
    source: withCommon(source),
    bindings: ['read', 'read', 'read', 'storage', 'uniform'],
    constants: { WG_X, WG_Y, TRANS_A: Number(transA), TRANS_B: Number(transB), HAS_BIAS: Number(hasBias), TILED: Number(tiled), ACT: ACTIVATION_CODES[activation] },
  };
}

/** [rows, cols] of a tensor viewed as a matrix. */
function asMatrix(t: GpuTensor): [number, number] {
  const cols = t.shape[t.shape.length - 1] ?? 1;
  return [t.size / cols, cols];
}

export async function prepareMatmul(rt: GpuRuntime, a: GpuTensor, b: GpuTensor, c: GpuTensor, opts: MatmulOptions = {}): Promise<Dispatch> {
  const { transA = false, transB = false, bias, activation = 'linear', tiled = MATMUL_TILED } = opts;
  const [ar, ac] = asMatrix(a);
  const [br, bc] = asMatrix(b);
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [kb, n] = transB ? [bc, br] : [br, bc];
  const [cr, cc] = asMatrix(c);
  const what = () =>
    `matmul: A ${shapeString(a.shape)}${transA ? '^T' : ''} · B ${shapeString(b.shape)}${transB ? '^T' : ''} -> C ${shapeString(c.shape)}`;
  if (k !== kb) throw new Error(`${what()}: inner sizes differ (${k} vs ${kb})`);
  if (cr !== m || cc !== n) throw new Error(`${what()}: C must be [${m}, ${n}]`);
  if (m * n * k === 0) throw new Error(`${what()}: empty matrices`);
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== n)) {
    throw new Error(`${what()}: bias ${shapeString(bias.shape)} must be [${n}]`);
  }
  const kernel = withConstants(matmulKernel(transA, transB, bias !== undefined, tiled, activation), { DIM_M: m, DIM_N: n, DIM_K: k });
  const uniforms = u32Uniforms(m, n, k, ACTIVATION_CODES[activation]);
  // Without a bias, A is bound in its place (read-only aliasing is allowed; the shader never reads it).
  const groups = [Math.ceil(n / (WG_X * 4)), Math.ceil(m / (WG_Y * 4)), 1] as const;
  return rt.prepare(kernel, [a, b, bias ?? a, c], uniforms, groups);
}
