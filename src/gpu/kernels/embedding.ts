// Embedding lookup: y [rows, dim] = table [vocab, dim] rows at float32 ids [rows].
// See shaders/embedding.forward.wgsl.
import source from '../../../shaders/embedding.forward.wgsl?raw';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

export const EMBEDDING_WG = 256;

export const embeddingForwardKernel: KernelDef = {
  name: 'embedding.forward',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG: EMBEDDING_WG },
};

/** [rows, dim, vocab], checking that ids, the table and the rows agree. */
export function embeddingDims(op: string, ids: GpuTensor, table: GpuTensor, rowsOf: GpuTensor): [number, number, number] {
  const dim = table.shape[table.shape.length - 1];
  const rows = ids.size;
  if (table.shape.length !== 2 || rowsOf.size !== rows * dim) {
    throw new Error(`${op}: ${rows} ids, table [${table.shape}] and rows [${rowsOf.shape}] do not agree`);
  }
  return [rows, dim, table.shape[0]];
}

export function prepareEmbedding(rt: GpuRuntime, ids: GpuTensor, table: GpuTensor, y: GpuTensor): Promise<Dispatch> {
  const [rows, dim, vocab] = embeddingDims('embedding.forward', ids, table, y);
  return rt.prepare(embeddingForwardKernel, [ids, table, y], u32Uniforms(rows, dim, vocab), rt.grid(y.size, EMBEDDING_WG));
}
