// The Keras losses with an elementwise term (shaders/loss.elementwise.wgsl): per-sample loss [B]
// and the gradient wrt the prediction [B, K], reduction sum_over_batch_size (the gradient carries
// weight / B). Hinge first runs a one-workgroup pass that decides whether the batch's labels are
// 0/1 (Keras then maps them to -1/1).
import elementwiseSource from '../../../shaders/loss.elementwise.wgsl?raw';
import hingeSource from '../../../shaders/loss.hinge_labels.wgsl?raw';
import type { LossKind, LossOptions } from '../../ops/losses';
import { packUniforms, u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { rowsCols } from './losses';

const WG = 64;

export const elementwiseLossKernel: KernelDef = {
  name: 'loss.elementwise',
  source: withCommon(elementwiseSource),
  bindings: ['read', 'read', 'read', 'storage', 'storage', 'uniform'],
  constants: { WG },
};

export const hingeLabelsKernel: KernelDef = {
  name: 'loss.hinge_labels',
  source: withCommon(hingeSource),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG: 256 },
};

/** The losses this kernel computes (the cross-entropies over classes have fused kernels). */
export type ElementwiseLoss = Exclude<LossKind, 'sparse_categorical_crossentropy' | 'categorical_crossentropy'>;

/** Codes of the shader's `kind`; binary_crossentropy from logits is code 1. */
const ELEMENTWISE_LOSS_CODES: { [L in ElementwiseLoss]: number } = {
  binary_crossentropy: 0,
  mean_squared_error: 2,
  mean_absolute_error: 3,
  mean_absolute_percentage_error: 4,
  mean_squared_logarithmic_error: 5,
  huber: 6,
  log_cosh: 7,
  kl_divergence: 8,
  hinge: 9,
};

/**
 * loss [B] and grad [B, K] of `kind` on pred and targets [B, K]. `flag` ([1] f32) is hinge's
 * scratch for the labels test (any tensor for the other losses). Returns the dispatches in order.
 */
export async function prepareElementwiseLoss(
  rt: GpuRuntime, kind: ElementwiseLoss, pred: GpuTensor, target: GpuTensor, flag: GpuTensor, loss: GpuTensor, grad: GpuTensor,
  opts: LossOptions = {}, weight = 1,
): Promise<Dispatch[]> {
  const [b, k] = rowsCols(`loss ${kind}`, pred, [target, grad], loss);
  const code = kind === 'binary_crossentropy' && opts.fromLogits ? 1 : ELEMENTWISE_LOSS_CODES[kind];
  const param = kind === 'huber' ? opts.delta ?? 1 : opts.labelSmoothing ?? 0;
  const uniforms = packUniforms([['u32', b], ['u32', k], ['f32', weight], ['u32', code], ['f32', param]]);
  const dispatches: Dispatch[] = [];
  if (kind === 'hinge') dispatches.push(await rt.prepare(hingeLabelsKernel, [target, flag], u32Uniforms(target.size), [1, 1, 1]));
  dispatches.push(await rt.prepare(elementwiseLossKernel, [pred, target, flag, loss, grad], uniforms, rt.grid(b, WG)));
  return dispatches;
}
