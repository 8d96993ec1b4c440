// CPU reference of copyColumns: dst[r, to.column + c] = src[r, from.column + c] (in place on dst).
import type { ColumnBlock } from '../shapes';

type Arr = Float32Array | Float64Array;

export function copyColumns(src: Arr, from: ColumnBlock, dst: Arr, to: ColumnBlock, rows: number, width: number): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) dst[r * to.rowLength + to.column + c] = src[r * from.rowLength + from.column + c];
  }
}
