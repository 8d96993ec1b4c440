// Keras metrics beyond sparse accuracy (metrics.ts), accumulated without readback into a slot of
// the f32 metric tensor: against targets of the prediction's shape (metric.target.wgsl) or, for
// sparse top-k accuracy, against u32 labels (metric.sparse_top_k.wgsl). Single workgroup each.
import sparseTopKSource from '../../../shaders/metric.sparse_top_k.wgsl?raw';
import targetSource from '../../../shaders/metric.target.wgsl?raw';
import { BINARY_THRESHOLD, TOP_K, type MetricKind } from '../../ops/losses';
import { packUniforms, u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 256;

export const targetMetricKernel: KernelDef = {
  name: 'metric.target',
  source: withCommon(targetSource),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export const sparseTopKKernel: KernelDef = {
  name: 'metric.sparse_top_k',
  source: withCommon(sparseTopKSource),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export type TargetMetric = 'binary_accuracy' | 'categorical_accuracy' | 'top_k_categorical_accuracy' | 'mean_absolute_error' | 'mean_squared_error';

const TARGET_METRIC_CODES: { [M in TargetMetric]: number } = {
  binary_accuracy: 0,
  categorical_accuracy: 1,
  top_k_categorical_accuracy: 2,
  mean_absolute_error: 3,
  mean_squared_error: 4,
};

function rowsColsSlot(op: string, pred: GpuTensor, acc: GpuTensor, slot: number): [number, number] {
  if (acc.dtype !== 'float32' || !Number.isInteger(slot) || slot < 0 || slot >= acc.size) {
    throw new Error(`${op}: slot ${slot} is outside the float32 accumulator ${shapeString(acc.shape)}`);
  }
  const cols = pred.shape[pred.shape.length - 1];
  return [pred.size / cols, cols];
}

/** acc[slot] += sum over rows of the metric's per-row value; pred and targets [rows, cols]. */
export function prepareTargetMetric(rt: GpuRuntime, kind: TargetMetric, pred: GpuTensor, targets: GpuTensor, acc: GpuTensor, slot: number): Promise<Dispatch> {
  const [rows, cols] = rowsColsSlot(`metric ${kind}`, pred, acc, slot);
  if (targets.dtype !== 'float32' || targets.size !== pred.size) {
    throw new Error(`metric ${kind}: targets must be float32 of pred's shape ${shapeString(pred.shape)}, got ${targets.dtype} ${shapeString(targets.shape)}`);
  }
  const uniforms = packUniforms([['u32', rows], ['u32', cols], ['u32', slot], ['u32', TARGET_METRIC_CODES[kind]], ['u32', TOP_K], ['f32', BINARY_THRESHOLD]]);
  return rt.prepare(targetMetricKernel, [pred, targets, acc], uniforms, [1, 1, 1]);
}

/** acc[slot] += rows whose label is in the top k (Keras's in_top_k) of pred [rows, cols]; labels u32 [rows]. */
export function prepareSparseTopK(rt: GpuRuntime, pred: GpuTensor, labels: GpuTensor, acc: GpuTensor, slot: number, k = TOP_K): Promise<Dispatch> {
  const [rows, cols] = rowsColsSlot('metric sparse_top_k_categorical_accuracy', pred, acc, slot);
  if (labels.dtype !== 'uint32' || labels.size !== rows) {
    throw new Error(`metric sparse_top_k_categorical_accuracy: labels must be uint32 [${rows}], got ${labels.dtype} ${shapeString(labels.shape)}`);
  }
  return rt.prepare(sparseTopKKernel, [pred, labels, acc], u32Uniforms(rows, cols, slot, k), [1, 1, 1]);
}

/** Whether the GPU computes a metric with prepareTargetMetric (else it is a sparse one). */
export function isTargetMetric(kind: MetricKind): kind is TargetMetric {
  return Object.prototype.hasOwnProperty.call(TARGET_METRIC_CODES, kind);
}
