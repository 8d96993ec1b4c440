// db[C] = sum of dy over every axis but the last (dy viewed as [rows, C]): the gradient of a bias
// added along the channel axis (Dense and Conv2D). Several passes of one column-sum kernel:
// rows -> partial sums per chunk of rows -> ... -> one row, written to db. No float atomics.
import source from '../../../shaders/bias.grad.wgsl?raw';
import type { KernelDef } from '../kernel';
import { u32Uniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 64;
/** Each invocation sums this many rows of one column per pass... */
const CHUNK_ROWS = 64;
/** ...unless the rows are this few: then one pass sums them all. */
const ONE_PASS_ROWS = 1024;

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

/** One pass's geometry: a [rows, cols] input is summed over chunks of chunkRows rows. */
export function biasGradPass(rows: number, cols: number) {
  const chunkRows = rows <= ONE_PASS_ROWS ? rows : CHUNK_ROWS;
  const chunks = Math.ceil(rows / chunkRows);
  return { chunkRows, chunks, invocations: chunks * cols };
}

export async function prepareBiasGrad(rt: GpuRuntime, dy: GpuTensor, db: GpuTensor): Promise<BiasGradPasses> {
  const cols = dy.shape[dy.shape.length - 1];
  if (dy.shape.length < 1 || db.shape.length !== 1 || db.shape[0] !== cols) {
    throw new Error(`biasGrad: db ${shapeString(db.shape)} must be [${cols}], the last axis of dy ${shapeString(dy.shape)}`);
  }
  const dispatches: Dispatch[] = [];
  const scratch: GpuTensor[] = [];
  let input = dy;
  let rows = dy.size / Math.max(cols, 1);
  for (;;) {
    const p = biasGradPass(rows, cols);
    const out = p.chunks === 1 ? db : rt.tensor([p.chunks, cols], 'float32', 'bias.grad partial sums');
    if (out !== db) scratch.push(out);
    const uniforms = u32Uniforms(rows, cols, p.chunkRows);
    dispatches.push(await rt.prepare(biasGradKernel, [input, out], uniforms, rt.grid(p.invocations, WG)));
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
