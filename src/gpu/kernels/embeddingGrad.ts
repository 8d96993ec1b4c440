// Embedding table gradient: dtable [vocab, dim] sums dy [rows, dim] over the ids [rows] that
// read each row. See shaders/embedding.grad.wgsl.
import source from '../../../shaders/embedding.grad.wgsl?raw';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';
import { EMBEDDING_WG, embeddingDims } from './embedding';

export const embeddingGradKernel: KernelDef = {
  name: 'embedding.grad',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG: EMBEDDING_WG },
};

export function prepareEmbeddingGrad(rt: GpuRuntime, ids: GpuTensor, dy: GpuTensor, dtable: GpuTensor): Promise<Dispatch> {
  const [rows, dim, vocab] = embeddingDims('embedding.grad', ids, dtable, dy);
  return rt.prepare(embeddingGradKernel, [ids, dy, dtable], u32Uniforms(rows, dim, vocab), rt.grid(dtable.size, EMBEDDING_WG));
}
