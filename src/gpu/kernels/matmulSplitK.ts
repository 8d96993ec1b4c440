// C = act(op(A) · op(B) + bias) for real GPUs: 64x64 tiles staged through workgroup memory,
// split along K when K is long (a Dense weight gradient X^T · dY, K = batch): partial products
// per K chunk into a caller-owned tensor, then a pass that sums them and applies bias and
// activation. Same tensors and options as prepareMatmul (all transposes, bias, activation).
import source from '../../../shaders/matmul.splitk.wgsl?raw';
import block8Source from '../../../shaders/matmul.splitk_8x8.wgsl?raw';
import sumSource from '../../../shaders/matmul.splitk_sum.wgsl?raw';
import { ACTIVATION_CODES } from '../../ops/activations';
import { u32Uniforms, withConstants, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { checkShape, shapeString, type GpuTensor } from '../tensor';
import type { TiledBlock } from './convTiledKernels';
import type { MatmulOptions } from './matmul';

const TILE = 64;
/** K staged per step (chunks are multiples of it). */
const STEP = 16;
/** Split only until about this many workgroups, and never into chunks under MIN_CHUNK. */
const TARGET_WORKGROUPS = 256;
const MIN_CHUNK = 128;
const SUM_WG = 256;

/** `block`: 4x4 outputs per invocation (16x16 invocations per tile) or 8x8 (8x8 invocations). */
export function matmulSplitKKernel(transA: boolean, transB: boolean, act = 0, block: TiledBlock = '4x4'): KernelDef {
  return {
    name: `matmul.splitk${block === '8x8' ? '_8x8' : ''}${transA ? '.tA' : ''}${transB ? '.tB' : ''}`,
    source: withCommon(block === '8x8' ? block8Source : source),
    bindings: ['read', 'read', 'read', 'storage', 'uniform'],
    constants: { TRANS_A: Number(transA), TRANS_B: Number(transB), ACT: act },
  };
}

export const matmulSplitKSumKernel: KernelDef = {
  name: 'matmul.splitk_sum',
  source: withCommon(sumSource),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG: SUM_WG },
};

/** How many K chunks suit C [m, n] with inner size k: 1 when the tiles alone fill the GPU or K is short. */
export function matmulSplits(m: number, n: number, k: number): number {
  const tiles = Math.ceil(m / TILE) * Math.ceil(n / TILE);
  return Math.max(1, Math.min(Math.ceil(TARGET_WORKGROUPS / tiles), Math.floor(k / MIN_CHUNK)));
}

/** The partials tensor for `splits` chunks ([splits, m, n]), or null when there is one (none needed). */
export function matmulSplitKPartialsShape(m: number, n: number, k: number, splits = matmulSplits(m, n, k)): number[] | null {
  return splits > 1 ? [splits, m, n] : null;
}

/** [rows, cols] of a tensor viewed as a matrix (leading axes folded, as prepareMatmul does). */
function asMatrix(t: GpuTensor): [number, number] {
  const cols = t.shape[t.shape.length - 1] ?? 1;
  return [t.size / cols, cols];
}

/**
 * As prepareMatmul, in one dispatch when `partials` is null, else split into partials.shape[0]
 * chunks of K (shape from matmulSplitKPartialsShape) and summed by a second dispatch.
 */
export async function prepareMatmulSplitK(
  rt: GpuRuntime,
  a: GpuTensor,
  b: GpuTensor,
  c: GpuTensor,
  partials: GpuTensor | null,
  opts: Omit<MatmulOptions, 'tiled'> & { block?: TiledBlock } = {},
): Promise<Dispatch[]> {
  const { transA = false, transB = false, bias, activation = 'linear', block = '4x4' } = opts;
  const [ar, ac] = asMatrix(a);
  const [br, bc] = asMatrix(b);
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [kb, n] = transB ? [bc, br] : [br, bc];
  const what = `matmul.splitk: A ${shapeString(a.shape)}${transA ? '^T' : ''} · B ${shapeString(b.shape)}${transB ? '^T' : ''} -> C ${shapeString(c.shape)}`;
  if (k !== kb) throw new Error(`${what}: inner sizes differ (${k} vs ${kb})`);
  if (asMatrix(c).join() !== [m, n].join()) throw new Error(`${what}: C must be [${m}, ${n}]`);
  if (m * n * k === 0) throw new Error(`${what}: empty matrices`);
  if (bias) checkShape('matmul.splitk', 'bias', bias, [n]);
  const splits = partials ? partials.shape[0] : 1;
  if (partials) checkShape('matmul.splitk', 'partials', partials, [splits, m, n]);
  const chunk = Math.ceil(k / splits / STEP) * STEP;
  const act = ACTIVATION_CODES[activation];
  const hasBias = bias ? 1 : 0;
  const groups = [Math.ceil(n / TILE), Math.ceil(m / TILE), splits] as const;
  const uniforms = u32Uniforms(m, n, k, act, hasBias, chunk, splits);
  // Without a bias, A is bound in its place (read-only aliasing; never read).
  const kernel = withConstants(matmulSplitKKernel(transA, transB, act, block), { DIM_M: m, DIM_N: n, DIM_K: k });
  const first = await rt.prepare(kernel, [a, b, bias ?? a, partials ?? c], uniforms, groups);
  if (!partials) return [first];
  const sum = u32Uniforms(m * n, n, splits, act, hasBias);
  return [first, await rt.prepare(withConstants(matmulSplitKSumKernel, { ACT: act }), [partials, bias ?? partials, c], sum, rt.grid(m * n, SUM_WG))];
}
