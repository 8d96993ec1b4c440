// Side-by-side comparison of two summaries (the UI puts a Sequential model
// next to its functional twin). Rows are paired in order after setting the
// InputLayer rows aside, because a functional model lists its InputLayer and
// a Sequential does not, and names differ between two models of one session.

import { pythonTuple } from '../ops/shapes.ts';
import type { ModelSummary, SummaryRow } from './summary.ts';

export type RowField = 'className' | 'outputShape' | 'params' | 'trainable';

export interface RowComparison {
  status: 'match' | 'differ' | 'onlyA' | 'onlyB';
  a?: SummaryRow;
  b?: SummaryRow;
  /** Fields that differ (empty when status is 'match'). */
  differences: RowField[];
}

export interface SummaryComparison {
  rows: RowComparison[];
  totalsAgree: boolean;
  /** Same layers, shapes and params in the same order, and the same totals. */
  equivalent: boolean;
}

function lastShape(row: SummaryRow): string {
  const shape = row.outputShapes[row.outputShapes.length - 1];
  return shape ? pythonTuple(shape) : '?';
}

function compareRows(a: SummaryRow, b: SummaryRow): RowComparison {
  const differences: RowField[] = [];
  if (a.className !== b.className) differences.push('className');
  if (lastShape(a) !== lastShape(b)) differences.push('outputShape');
  if (a.params !== b.params) differences.push('params');
  if (a.trainable !== b.trainable) differences.push('trainable');
  return { status: differences.length === 0 ? 'match' : 'differ', a, b, differences };
}

function pair(as: SummaryRow[], bs: SummaryRow[]): RowComparison[] {
  const out: RowComparison[] = [];
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const a = as[i];
    const b = bs[i];
    if (a && b) out.push(compareRows(a, b));
    else if (a) out.push({ status: 'onlyA', a, differences: [] });
    else if (b) out.push({ status: 'onlyB', b, differences: [] });
  }
  return out;
}

export function compareSummaries(a: ModelSummary, b: ModelSummary): SummaryComparison {
  const isInput = (r: SummaryRow): boolean => r.className === 'InputLayer';
  const rows = [
    ...pair(a.rows.filter(isInput), b.rows.filter(isInput)),
    ...pair(a.rows.filter((r) => !isInput(r)), b.rows.filter((r) => !isInput(r))),
  ];
  const totalsAgree =
    a.totalParams === b.totalParams && a.trainableParams === b.trainableParams && a.nonTrainableParams === b.nonTrainableParams;
  // An InputLayer row on one side only is how the two APIs print the same model.
  const layersAgree = rows.every((r) => r.status === 'match' || (r.status !== 'differ' && isInput((r.a ?? r.b)!)));
  return { rows, totalsAgree, equivalent: totalsAgree && layersAgree };
}
