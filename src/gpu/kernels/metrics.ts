// Metric accumulators: add a batch's loss sum or its count of correct predictions into a small
// f32 accumulator tensor at a slot, so a trainer reads back once every K steps. Each is a single
// workgroup; zero the accumulator with rt.write when a new window starts.
import accuracySource from '../../../shaders/metric.accuracy.wgsl?raw';
import sumSource from '../../../shaders/metric.sum.wgsl?raw';
import { packUniforms, u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 256;

export const metricSumKernel: KernelDef = {
  name: 'metric.sum',
  source: withCommon(sumSource),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

export const metricAccuracyKernel: KernelDef = {
  name: 'metric.accuracy',
  source: withCommon(accuracySource),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

function checkSlot(op: string, acc: GpuTensor, slot: number): void {
  if (acc.dtype !== 'float32' || !Number.isInteger(slot) || slot < 0 || slot >= acc.size) {
    throw new Error(`${op}: slot ${slot} is outside the float32 accumulator ${shapeString(acc.shape)}`);
  }
}

/** acc[slot] += scale * sum(values). */
export async function prepareAccumulateSum(rt: GpuRuntime, values: GpuTensor, acc: GpuTensor, slot: number, scale = 1): Promise<Dispatch> {
  checkSlot('metric.sum', acc, slot);
  const uniforms = packUniforms([['u32', values.size], ['u32', slot], ['f32', scale]]);
  return rt.prepare(metricSumKernel, [values, acc], uniforms, [1, 1, 1]);
}

/** acc[slot] += count of rows b with argmax(pred[b, :]) == labels[b] (first max wins ties). */
export async function prepareAccumulateAccuracy(
  rt: GpuRuntime, pred: GpuTensor, labels: GpuTensor, acc: GpuTensor, slot: number,
): Promise<Dispatch> {
  checkSlot('metric.accuracy', acc, slot);
  const cols = pred.shape[pred.shape.length - 1];
  const rows = pred.size / cols;
  if (labels.dtype !== 'uint32' || labels.size !== rows) {
    throw new Error(`metric.accuracy: labels must be uint32 [${rows}] for pred ${shapeString(pred.shape)}, got ${labels.dtype} ${shapeString(labels.shape)}`);
  }
  return rt.prepare(metricAccuracyKernel, [pred, labels, acc], u32Uniforms(rows, cols, slot), [1, 1, 1]);
}
