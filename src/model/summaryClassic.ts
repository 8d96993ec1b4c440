// The classic tf.keras summary text (TF 2.0-2.6, layer_utils.print_summary),
// character for character: 65 columns for sequential-like models, 98 with a
// "Connected to" column otherwise. Each field is written after the previous
// one, the line cut at the column's end position and padded with spaces, and
// the last character before a new field replaced by a space. That is why
// "max_pooling2d_1 (MaxPooling2D)" prints as "max_pooling2d_1 (MaxPooling2 ".

import { pythonTuple, type Shape } from '../ops/shapes.ts';
import { thousands, type ModelSummary, type SummaryRow } from './summary.ts';

export interface ClassicOptions {
  lineLength?: number;
  /** Column end positions, as fractions of lineLength (<= 1) or absolute. */
  positions?: number[];
}

export function printRow(fields: readonly string[], positions: readonly number[]): string {
  let line = '';
  fields.forEach((field, i) => {
    if (i > 0) line = line.slice(0, -1) + ' ';
    line += field;
    line = line.slice(0, positions[i]);
    line += ' '.repeat(Math.max(positions[i]! - line.length, 0));
  });
  return line;
}

/**
 * layer.output_shape in tf.keras 2.x: "multiple" when calls disagree; an
 * InputLayer's shape is a list (its node outputs a list), hence the brackets.
 */
export function classicShape(row: SummaryRow): string {
  const distinct = new Set(row.outputShapes.map((s) => pythonTuple(s)));
  if (distinct.size !== 1) return distinct.size === 0 ? '?' : 'multiple';
  const shape = pythonTuple(row.outputShapes[0] as Shape);
  return row.className === 'InputLayer' ? `[${shape}]` : shape;
}

export function renderSummaryClassic(summary: ModelSummary, options: ClassicOptions = {}): string {
  const seq = summary.sequentialLike;
  const lineLength = options.lineLength ?? (seq ? 65 : 98);
  let positions = options.positions ?? (seq ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1]);
  if (positions[positions.length - 1]! <= 1) positions = positions.map((p) => Math.floor(lineLength * p));
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'].slice(0, seq ? 3 : 4);

  const lines = [`Model: "${summary.modelName}"`, '_'.repeat(lineLength), printRow(header, positions), '='.repeat(lineLength)];
  summary.rows.forEach((row, i) => {
    const fields = [`${row.name} (${row.className})`, classicShape(row), String(row.params)];
    if (seq) {
      lines.push(printRow(fields, positions));
    } else {
      lines.push(printRow([...fields, row.inbound[0] ?? ''], positions));
      for (const more of row.inbound.slice(1)) lines.push(printRow(['', '', '', more], positions));
    }
    lines.push((i === summary.rows.length - 1 ? '=' : '_').repeat(lineLength));
  });
  lines.push(
    `Total params: ${thousands(summary.totalParams)}`,
    `Trainable params: ${thousands(summary.trainableParams)}`,
    `Non-trainable params: ${thousands(summary.nonTrainableParams)}`,
    '_'.repeat(lineLength),
  );
  return lines.join('\n');
}
