// out[b, :] = data[index[b], :] over 32-bit words: a batch of float32 features or uint32 labels
// gathered from a data set that stays on the GPU.
import source from '../../../shaders/gather.rows.wgsl?raw';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 256;

export const gatherRowsKernel: KernelDef = {
  name: 'gather.rows',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

/** `data` holds `count` rows of `width` words; out is [B, ...] with width words per row. */
export function prepareGatherRows(rt: GpuRuntime, data: GpuTensor, index: GpuTensor, out: GpuTensor, count: number): Promise<Dispatch> {
  const batch = index.size;
  const width = out.size / batch;
  if (index.dtype !== 'uint32' || out.shape[0] !== batch || !Number.isInteger(width)) {
    throw new Error(`gather.rows: out ${shapeString(out.shape)} does not hold ${batch} rows`);
  }
  if (count * width > data.size || out.dtype !== data.dtype) {
    throw new Error(`gather.rows: ${count} ${data.dtype} rows of ${width} do not fit data ${shapeString(data.shape)} ${data.dtype} for out ${out.dtype}`);
  }
  return rt.prepare(gatherRowsKernel, [data, index, out], u32Uniforms(batch, width, count), rt.grid(out.size, WG));
}
