// C = act(op(A) · op(B) + bias): Dense forward (x · W + b), input gradient (dY · W^T) and weight
// gradient (X^T · dY). Tensors of rank > 2 are viewed as 2-D [product of leading axes, last axis].
import source from '../../../shaders/matmul.wgsl?raw';
import vec4Source from '../../../shaders/matmul_vec4.wgsl?raw';
import { ACTIVATION_CODES, type ElementwiseActivation } from '../../ops/activations';
import type { KernelDef } from '../kernel';
import { u32Uniforms, withConstants } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';
import { pickVariant, validVariants, type Variant } from '../tuning';
import type { TiledBlock } from './convTiledKernels';
import { matmulSplitKKernel } from './matmulSplitK';

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
  bias?: GpuTensor;
  activation?: ElementwiseActivation;
  /** Stage tiles in workgroup memory (see shaders/matmul.wgsl): variant 'tiled' when true, 'blocked' when false. */
  tiled?: boolean;
  /** One of matmulVariants(); default the first. Overrides `tiled`. */
  variant?: string;
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

/** What matmul variants are valid for: the GEMM sizes and its transposes. */
export interface MatmulShape {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

interface MatmulArgs {
  bindings: GpuTensor[];
  hasBias: boolean;
  activation: ElementwiseActivation;
  uniforms: ArrayBuffer;
}

/** Both the register-blocked and the workgroup-memory shader variant compute 32x32 tiles of C per workgroup. */
function matmulVariant(name: string, tiled: boolean): Variant<MatmulShape, MatmulArgs> {
  return {
    name,
    valid: () => true,
    prepare: async (rt, a, s) => {
      const groups = [Math.ceil(s.n / (WG_X * 4)), Math.ceil(s.m / (WG_Y * 4)), 1] as const;
      const kernel = withConstants(matmulKernel(s.transA, s.transB, a.hasBias, tiled, a.activation), { DIM_M: s.m, DIM_N: s.n, DIM_K: s.k });
      return [await rt.prepare(kernel, a.bindings, a.uniforms, groups)];
    },
  };
}

const BLOCKED = matmulVariant('blocked', false);
const TILED = matmulVariant('tiled', true);

/** shaders/matmul_vec4.wgsl: the blocked kernel reading A and B as vec4s along their contiguous axis. */
function vec4Valid({ m, n, k, transA, transB }: MatmulShape): boolean {
  if (transA) return !transB && m % 4 === 0 && n % 4 === 0;
  return k % 4 === 0 && (transB || n % 4 === 0);
}

const VEC4: Variant<MatmulShape, MatmulArgs> = {
  name: 'vec4',
  valid: vec4Valid,
  prepare: async (rt, a, s) => {
    const kernel: KernelDef = {
      name: `matmul_vec4${s.transA ? '.tA' : ''}${s.transB ? '.tB' : ''}`,
      source: withCommon(vec4Source),
      bindings: ['read', 'read', 'read', 'storage', 'uniform'],
      constants: { WG_X, WG_Y, TRANS_A: Number(s.transA), TRANS_B: Number(s.transB), HAS_BIAS: Number(a.hasBias), ACT: ACTIVATION_CODES[a.activation], DIM_M: s.m, DIM_N: s.n, DIM_K: s.k },
    };
    return [await rt.prepare(kernel, a.bindings, a.uniforms, [Math.ceil(s.n / (WG_X * 4)), Math.ceil(s.m / (WG_Y * 4)), 1])];
  },
};

/**
 * The real-GPU kernel of matmulSplitK.ts in one piece (no split: prepareMatmul's single dispatch
 * has no scratch for partial sums): 64x64 tiles of C per workgroup, 4x4 or 8x8 per invocation.
 */
function tiled64Variant(name: string, block: TiledBlock): Variant<MatmulShape, MatmulArgs> {
  return {
    name,
    valid: () => true,
    prepare: async (rt, a, s) => {
      const act = ACTIVATION_CODES[a.activation];
      const kernel = withConstants(matmulSplitKKernel(s.transA, s.transB, act, block), { DIM_M: s.m, DIM_N: s.n, DIM_K: s.k });
      // Params {m, n, k, act, has_bias, chunk, splits}: one chunk of all of K.
      const uniforms = u32Uniforms(s.m, s.n, s.k, act, Number(a.hasBias), s.k, 1);
      return [await rt.prepare(kernel, a.bindings, uniforms, [Math.ceil(s.n / 64), Math.ceil(s.m / 64), 1])];
    },
  };
}

/** In order: the first valid one is the default (MATMUL_TILED decides); append new ones at the end. */
export const MATMUL_VARIANTS: readonly Variant<MatmulShape, MatmulArgs>[] = [
  ...(MATMUL_TILED ? [TILED, BLOCKED] : [BLOCKED, TILED]),
  tiled64Variant('tiled64', '4x4'),
  tiled64Variant('tiled64_8x8', '8x8'),
  VEC4,
];

/** The variants valid for C [m, n] = op(A) [m, k] · op(B) [k, n], the default first. */
export function matmulVariants(m: number, n: number, k: number, transA = false, transB = false): string[] {
  return validVariants(MATMUL_VARIANTS, { m, n, k, transA, transB });
}

export async function prepareMatmul(rt: GpuRuntime, a: GpuTensor, b: GpuTensor, c: GpuTensor, opts: MatmulOptions = {}): Promise<Dispatch> {
  const { transA = false, transB = false, bias, activation = 'linear' } = opts;
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
  const s = { m, n, k, transA, transB };
  const name = opts.variant ?? (opts.tiled === undefined ? undefined : opts.tiled ? 'tiled' : 'blocked');
  const v = pickVariant('matmul', MATMUL_VARIANTS, s, `[${m}, ${k}] · [${k}, ${n}]`, name);
  const uniforms = u32Uniforms(m, n, k, ACTIVATION_CODES[activation]);
  // Without a bias, A is bound in its place (read-only aliasing is allowed; the shader never reads it).
  const [d] = await v.prepare(rt, { bindings: [a, b, bias ?? a, c], hasBias: bias !== undefined, activation, uniforms }, s);
  return d;
}
