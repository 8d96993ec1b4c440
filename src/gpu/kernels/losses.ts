// Loss kernels: per-sample loss [B] (unweighted) and the gradient wrt the prediction (or logits),
// reduction sum_over_batch_size, so the gradient carries weight / B (weight: the output's loss
// weight in a multi-output model). One dispatch each, one invocation per sample.
import bceSource from '../../../shaders/loss.bce.wgsl?raw';
import cceSource from '../../../shaders/loss.categorical_ce.wgsl?raw';
import maeSource from '../../../shaders/loss.mae.wgsl?raw';
import mseSource from '../../../shaders/loss.mse.wgsl?raw';
import sceSource from '../../../shaders/loss.softmax_ce.wgsl?raw';
import { packUniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 64;

/** Losses on [B, K] predictions and [B, K] float targets. */
export type TargetLoss = 'mse' | 'mae' | 'binaryCrossentropy';

function lossKernel(name: string, source: string, bindings: KernelDef['bindings']): KernelDef {
  return { name, source: withCommon(source), bindings, constants: { WG } };
}

export const targetLossKernels: { [L in TargetLoss]: KernelDef } = {
  mse: lossKernel('loss.mse', mseSource, ['read', 'read', 'storage', 'storage', 'uniform']),
  mae: lossKernel('loss.mae', maeSource, ['read', 'read', 'storage', 'storage', 'uniform']),
  binaryCrossentropy: lossKernel('loss.bce', bceSource, ['read', 'read', 'storage', 'storage', 'uniform']),
};
const fused = ['read', 'read', 'storage', 'storage', 'storage', 'uniform'] as const;
export const softmaxCrossEntropyKernel = lossKernel('loss.softmax_ce', sceSource, fused);
export const categoricalCrossentropyKernel = lossKernel('loss.categorical_ce', cceSource, fused);

/** Checks [B, K] tensors and a [B] loss; returns [B, K]. */
export function rowsCols(op: string, pred: GpuTensor, same: GpuTensor[], loss: GpuTensor): [number, number] {
  const [b, k] = pred.shape;
  const bad = pred.shape.length !== 2 || same.some((t) => t.shape.length !== 2 || t.shape[0] !== b || t.shape[1] !== k);
  if (bad || loss.size !== b || !(b > 0 && k > 0)) {
    const all = [pred, ...same].map((t) => shapeString(t.shape)).join(', ');
    throw new Error(`${op}: expected [B, K] tensors and a [B] loss, got ${all} and loss ${shapeString(loss.shape)}`);
  }
  return [b, k];
}

function params(b: number, k: number, weight: number, smoothing = 0, kl = false): ArrayBuffer {
  return packUniforms([['u32', b], ['u32', k], ['f32', weight], ['f32', smoothing], ['u32', kl ? 1 : 0]]);
}

/** MSE, MAE or binary cross-entropy: loss [B] and grad [B, K] wrt pred [B, K]. */
export async function prepareTargetLoss(
  rt: GpuRuntime, kind: TargetLoss, pred: GpuTensor, target: GpuTensor, loss: GpuTensor, grad: GpuTensor, weight = 1,
): Promise<Dispatch> {
  const [b, k] = rowsCols(`loss ${kind}`, pred, [target, grad], loss);
  return rt.prepare(targetLossKernels[kind], [pred, target, loss, grad], params(b, k, weight), rt.grid(b, WG));
}

/** Fused softmax + sparse categorical cross-entropy: probs and dlogits [B, K], loss [B], labels u32 [B]. */
export async function prepareSoftmaxCrossEntropy(
  rt: GpuRuntime, logits: GpuTensor, labels: GpuTensor, probs: GpuTensor, loss: GpuTensor, grad: GpuTensor, weight = 1,
): Promise<Dispatch> {
  const [b, k] = rowsCols('softmaxCrossEntropy', logits, [probs, grad], loss);
  if (labels.dtype !== 'uint32' || labels.size !== b) {
    throw new Error(`softmaxCrossEntropy: labels must be uint32 [${b}], got ${labels.dtype} ${shapeString(labels.shape)}`);
  }
  const tensors = [logits, labels, probs, loss, grad];
  return rt.prepare(softmaxCrossEntropyKernel, tensors, params(b, k, weight), rt.grid(b, WG));
}

/**
 * Fused softmax + categorical cross-entropy with probability targets [B, K], Keras's label
 * smoothing optional; kl: kl_divergence on the softmax instead (targets clipped, entropy added).
 */
export async function prepareCategoricalCrossentropy(
  rt: GpuRuntime, logits: GpuTensor, targets: GpuTensor, probs: GpuTensor, loss: GpuTensor, grad: GpuTensor, weight = 1, smoothing = 0, kl = false,
): Promise<Dispatch> {
  const [b, k] = rowsCols('categoricalCrossentropy', logits, [targets, probs, grad], loss);
  const tensors = [logits, targets, probs, loss, grad];
  return rt.prepare(categoricalCrossentropyKernel, tensors, params(b, k, weight, smoothing, kl), rt.grid(b, WG));
}
