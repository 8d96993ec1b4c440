// Keras 3's summary table (keras/src/utils/summary_utils.py, the rich-based
// print_summary of Keras 3.x, e.g. 3.8) as plain text, the way it prints when
// captured without a terminal (no colors). Reproduced: its column rule
// (positions [0.45, 0.80, 1] in 88 columns for sequential-like models,
// [0.3, 0.56, 0.74, 1] in 108 with "Connected to"), and rich's Table layout:
// fixed-width columns plus one space of padding each side, shrunk evenly to
// the table width (rich's ratio_reduce, Python rounding), heavy header box,
// a line between rows, text wrapped at spaces and cut with "…".
// Keras itself caps the default width at the terminal width - 4 (76 in an
// 80-column terminal); pass lineLength to match such a printout.

import { formatDims, type Shape } from '../ops/shapes.ts';
import { thousands, type ModelSummary, type SummaryRow } from './summary.ts';

export interface Keras3Options {
  lineLength?: number;
}

/** Python's round(): halves go to the even neighbour. */
function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** rich's ratio_reduce with equal ratios: take `excess` cells off the columns in turn. */
function reduceEvenly(excess: number, widths: number[]): number[] {
  let remaining = excess;
  let ratioLeft = widths.length;
  return widths.map((w) => {
    const take = Math.min(w, pyRound(remaining / ratioLeft));
    remaining -= take;
    ratioLeft -= 1;
    return w - take;
  });
}

export function keras3ColumnWidths(lineLength: number, positions: readonly number[]): number[] {
  let current = 0;
  const widths = positions.map((p) => {
    const width = Math.floor(p * lineLength) - current;
    if (width < 4) throw new Error('summary: insufficient console width to print summary (Keras needs >= 4 per column).');
    current += width;
    return width + 2; // rich adds the cell padding to a fixed-width column
  });
  const available = lineLength - (widths.length + 1); // box edges and dividers
  const total = widths.reduce((a, b) => a + b, 0);
  return total > available ? reduceEvenly(total - available, widths) : widths;
}

/** rich's Text.wrap: break before words that do not fit; cut words longer than the cell with "…". */
export function wrapCell(text: string, width: number, justify: 'left' | 'right'): string[] {
  const lines: string[] = [];
  let line = '';
  for (const match of text.matchAll(/\s*\S+\s*/g)) {
    const word = match[0];
    const fits = width - line.length >= word.trimEnd().length;
    if (fits || line.length === 0) line += word;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines.map((raw) => {
    let l = justify === 'right' ? raw.trimEnd() : raw;
    if (l.length > width) l = l.trimEnd();
    if (l.length > width) l = l.slice(0, width - 1) + '…';
    return justify === 'right' ? l.padStart(width) : l.padEnd(width);
  });
}

function keras3Shape(shape: Shape): string {
  return `(${formatDims(shape)})`;
}

/** Keras 3 shows the output of the layer's last call, "?" if never called. */
function rowFields(row: SummaryRow, withConnections: boolean): string[] {
  const last = row.outputShapes[row.outputShapes.length - 1];
  const fields = [`${row.name} (${row.className})`, last ? keras3Shape(last) : '?', thousands(row.params)];
  if (withConnections) fields.push(row.inbound.length > 0 ? row.inbound.join(', ') : '-');
  return fields;
}

function boxLine(widths: number[], [left, fill, mid, right]: string): string {
  return left + widths.map((w) => fill!.repeat(w)).join(mid) + right;
}

function tableRow(fields: string[], widths: number[], justify: ('left' | 'right')[], edge: string): string[] {
  const cells = fields.map((f, i) => wrapCell(f, widths[i]! - 2, justify[i]!));
  const height = Math.max(...cells.map((c) => c.length));
  const out: string[] = [];
  for (let y = 0; y < height; y++) {
    out.push(edge + cells.map((c, i) => ` ${c[y] ?? ' '.repeat(widths[i]! - 2)} `).join(edge) + edge);
  }
  return out;
}

/** "1.27 MB" like Keras's readable_memory_size, float32 weights. */
export function readableSize(params: number): string {
  let size = params * 4;
  for (const unit of ['B', 'KB', 'MB', 'GB', 'TB']) {
    if (size / 1024 < 1) return `${pyFixed2(size)} ${unit}`;
    size /= 1024;
  }
  return `${pyFixed2(size)} PB`;
}

/** Python "{:.2f}": exact ties (odd multiples of 1/8) round half to even, unlike toFixed. */
function pyFixed2(x: number): string {
  const eighths = x * 8;
  if (Number.isInteger(eighths) && eighths % 2 === 1) {
    const hundredths = x * 100; // exact: ends in .5
    const down = Math.floor(hundredths);
    return ((down % 2 === 0 ? down : down + 1) / 100).toFixed(2);
  }
  return x.toFixed(2);
}

export function renderSummaryKeras3(summary: ModelSummary, options: Keras3Options = {}): string {
  const seq = summary.sequentialLike;
  const lineLength = options.lineLength ?? (seq ? 88 : 108);
  const positions = seq ? [0.45, 0.8, 1] : [0.3, 0.56, 0.74, 1];
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'].slice(0, seq ? 3 : 4);
  const justify: ('left' | 'right')[] = ['left', 'left', 'right', 'left'];
  const widths = keras3ColumnWidths(lineLength, positions);

  const lines = [`Model: "${summary.modelName}"`, boxLine(widths, '┏━┳┓'), ...tableRow(header, widths, justify, '┃'), boxLine(widths, '┡━╇┩')];
  summary.rows.forEach((row, i) => {
    if (i > 0) lines.push(boxLine(widths, '├─┼┤'));
    lines.push(...tableRow(rowFields(row, !seq), widths, justify, '│'));
  });
  lines.push(
    boxLine(widths, '└─┴┘'),
    ` Total params: ${thousands(summary.totalParams)} (${readableSize(summary.totalParams)})`,
    ` Trainable params: ${thousands(summary.trainableParams)} (${readableSize(summary.trainableParams)})`,
    ` Non-trainable params: ${thousands(summary.nonTrainableParams)} (${readableSize(summary.nonTrainableParams)})`,
  );
  return lines.join('\n');
}
