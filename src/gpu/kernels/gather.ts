// Batches gathered on the GPU from a dataset uploaded once as bytes (4 per u32): images become
// float32 [B, H, W, C] in [0, 1], labels uint32 [B], chosen by a uint32 index tensor [B] (e.g. a
// slice of a shuffled permutation), so no pixels cross the bus during training.
import imagesSource from '../../../shaders/gather.images.wgsl?raw';
import labelsSource from '../../../shaders/gather.labels.wgsl?raw';
import { packBytes } from '../../ops/bytes';
import type { KernelDef } from '../kernel';
import { u32Uniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 256;

export const gatherImagesKernel: KernelDef = {
  name: 'gather.images',
  source: withCommon(imagesSource),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export const gatherLabelsKernel: KernelDef = {
  name: 'gather.labels',
  source: withCommon(labelsSource),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** Uploads bytes packed 4 per u32 (zero-padded): a uint32 tensor [ceil(length / 4)]. */
export function uploadBytes(rt: GpuRuntime, bytes: Uint8Array, label?: string): GpuTensor {
  const words = packBytes(bytes);
  return rt.upload(words, [words.length], label);
}

function checkGather(op: string, data: GpuTensor, index: GpuTensor, count: number, itemBytes: number): void {
  if (data.dtype !== 'uint32' || index.dtype !== 'uint32') throw new Error(`${op}: data and index must be uint32 tensors`);
  if (index.shape.length !== 1) throw new Error(`${op}: index must be [B], got ${shapeString(index.shape)}`);
  if (!Number.isInteger(count) || count < 0 || count * itemBytes > data.size * 4) {
    throw new Error(`${op}: ${count} items of ${itemBytes} bytes do not fit in ${data.size * 4} bytes`);
  }
}

/** out [B, ...] float32 with imageBytes elements per example; `count` images in `bytes`. */
export function prepareGatherImages(
  rt: GpuRuntime,
  bytes: GpuTensor,
  index: GpuTensor,
  out: GpuTensor,
  p: { imageBytes: number; count: number },
): Promise<Dispatch> {
  checkGather('gather.images', bytes, index, p.count, p.imageBytes);
  const batch = index.size;
  if (out.dtype !== 'float32' || out.shape[0] !== batch || out.size !== batch * p.imageBytes) {
    throw new Error(`gather.images: out ${out.dtype} ${shapeString(out.shape)} is not float32 [${batch}, ...] of ${p.imageBytes} per example`);
  }
  return rt.prepare(gatherImagesKernel, [bytes, index, out], u32Uniforms(batch, p.imageBytes, p.count), rt.grid(out.size, WG));
}

/** out uint32 [B] = labels[index[b]]; `count` label bytes in `labels`. */
export function prepareGatherLabels(rt: GpuRuntime, labels: GpuTensor, index: GpuTensor, out: GpuTensor, count: number): Promise<Dispatch> {
  checkGather('gather.labels', labels, index, count, 1);
  if (out.dtype !== 'uint32' || out.size !== index.size) {
    throw new Error(`gather.labels: out ${out.dtype} ${shapeString(out.shape)} must be uint32 [${index.size}]`);
  }
  return rt.prepare(gatherLabelsKernel, [labels, index, out], u32Uniforms(index.size, count), rt.grid(index.size, WG));
}
