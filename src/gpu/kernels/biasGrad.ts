// db[C] = sum of dy over every axis but the last (dy viewed as [rows, C]): the gradient of a bias
// added along the channel axis (Dense and Conv2D). Several passes of one column-sum kernel:
// rows -> partial sums per chunk of rows -> ... -> one row, written to db. No float atomics.
import source from '../../../shaders/bias.grad.wgsl?raw';
import type { KernelDef } from '../kernel';
import { u32Uniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 256;
/** Each row lane sums about this many rows per pass. */
const ROWS_PER_LANE = 64;

export const biasGradKernel: KernelDef = {
  name: 'bias.grad',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

/** The passes in submit order, and a dispose that frees their uniforms and internal scratch. */
export interface BiasGradPasses {
  readonly dispatches: Dispatch[];
  /** Partial-sum tensors between passes (empty for one pass); dispose() releases them. */
  readonly scratch: GpuTensor[];
  dispose(): void;
}

/** One pass's geometry: how a [rows, cols] input is split into column blocks and row chunks. */
export function biasGradPass(rows: number, cols: number, maxGroups = 65535) {
  let groupCols = 1;
  while (groupCols < cols && groupCols < WG) groupCols *= 2;
  const lanes = WG / groupCols;
  const chunkRows = Math.max(lanes * ROWS_PER_LANE, Math.ceil(rows / maxGroups));
  const chunks = Math.ceil(rows / chunkRows);
  return { groupCols, chunkRows, chunks, colBlocks: Math.ceil(cols / groupCols) };
}

export async function prepareBiasGrad(rt: GpuRuntime, dy: GpuTensor, db: GpuTensor): Promise<BiasGradPasses> {
  const cols = dy.shape[dy.shape.length - 1];
  if (dy.shape.length < 1 || db.shape.length !== 1 || db.shape[0] !== cols) {
    throw new Error(`biasGrad: db ${shapeString(db.shape)} must be [${cols}], the last axis of dy ${shapeString(dy.shape)}`);
  }
  const maxGroups = rt.limits.maxComputeWorkgroupsPerDimension;
  const dispatches: Dispatch[] = [];
  const scratch: GpuTensor[] = [];
  let input = dy;
  let rows = dy.size / Math.max(cols, 1);
  for (;;) {
    const p = biasGradPass(rows, cols, maxGroups);
    const out = p.chunks === 1 ? db : rt.tensor([p.chunks, cols], 'float32', 'bias.grad partial sums');
    if (out !== db) scratch.push(out);
    const uniforms = u32Uniforms(rows, cols, p.groupCols, p.chunkRows);
    dispatches.push(await rt.prepare(biasGradKernel, [input, out], uniforms, [p.colBlocks, p.chunks, 1]));
    if (out === db) break;
    input = out;
    rows = p.chunks;
  }
  return {
    dispatches,
    scratch,
    dispose() {
      dispatches.forEach((d) => rt.dispose(d));
      scratch.forEach((t) => rt.release(t));
    },
  };
}
