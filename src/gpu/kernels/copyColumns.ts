// Copies a [rows, width] column block between row-major matrices (Concatenate forward/backward).
import type { ColumnBlock } from '../../ops/shapes';
import source from '../../../shaders/copy_columns.wgsl?raw';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import type { GpuTensor } from '../tensor';

const WG = 256;

export const copyColumnsKernel: KernelDef = {
  name: 'copy_columns',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

export function prepareCopyColumns(
  rt: GpuRuntime,
  src: GpuTensor,
  from: ColumnBlock,
  dst: GpuTensor,
  to: ColumnBlock,
  rows: number,
  width: number,
): Promise<Dispatch> {
  if (from.column + width > from.rowLength || rows * from.rowLength > src.size) {
    throw new Error(`copyColumns: source block [${rows}, ${width}] at column ${from.column} overruns rows of ${from.rowLength}`);
  }
  if (to.column + width > to.rowLength || rows * to.rowLength > dst.size) {
    throw new Error(`copyColumns: destination block [${rows}, ${width}] at column ${to.column} overruns rows of ${to.rowLength}`);
  }
  const uniforms = u32Uniforms(rows, width, from.rowLength, from.column, to.rowLength, to.column);
  return rt.prepare(copyColumnsKernel, [src, dst], uniforms, rt.grid(rows * width, WG));
}
