// `npm run predict`'s data shaping: the shape of a nested JSON array (checked rectangular and
// numeric, bounded so a hostile file cannot make us allocate much), flat outputs back into nested
// arrays, and the readable table.

const MAX_ELEMENTS = 64 * 1024 * 1024;
const MAX_RANK = 8;

export type Nested = number | Nested[];

/** The shape of a rectangular nested array of numbers; throws naming the first place it is not. */
export function shapeOf(json: unknown, source: string): number[] {
  const shape: number[] = [];
  let level: unknown = json;
  while (Array.isArray(level)) {
    if (shape.length >= MAX_RANK) throw new Error(`--input ${source} is nested deeper than ${MAX_RANK} levels`);
    if (level.length === 0) throw new Error(`--input ${source} has an empty list at depth ${shape.length}`);
    shape.push(level.length);
    level = level[0];
  }
  if (shape.length === 0) throw new Error(`--input ${source} must be a nested list of numbers, got ${typeof json}`);
  if (shape.reduce((a, b) => a * b, 1) > MAX_ELEMENTS) throw new Error(`--input ${source} has more than ${MAX_ELEMENTS} numbers`);
  const check = (value: unknown, depth: number, at: string): void => {
    if (depth === shape.length) {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`--input ${source}${at} is ${JSON.stringify(value)?.slice(0, 40)}, not a number`);
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      throw new Error(`--input ${source}${at} is not a list of ${shape[depth]} (the rows must all have the same length; shape so far [${shape.join(', ')}])`);
    }
    value.forEach((v, i) => check(v, depth + 1, `${at}[${i}]`));
  };
  check(json, 0, '');
  return shape;
}

/** Flat row-major values as nested arrays of `shape`. */
export function nest(values: Float32Array, shape: number[]): Nested[] {
  const build = (offset: number, depth: number): Nested => {
    if (depth === shape.length) return values[offset]!;
    const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[depth]! }, (_, i) => build(offset + i * stride, depth + 1));
  };
  return build(0, 0) as Nested[];
}

function isSoftmax10(values: Float32Array, n: number): boolean {
  if (values.length !== n * 10) return false;
  for (let i = 0; i < n; i++) {
    const row = values.subarray(i * 10, i * 10 + 10);
    const sum = row.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-3 || row.some((v) => v < 0)) return false;
  }
  return true;
}

const fmt = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));

/** One block per output: argmax class and probability for a 10-way softmax (with the true label when known), else the numbers. */
export function table(outputs: Float32Array[], names: string[], n: number, classes?: { names: readonly string[]; labels?: Uint8Array }): string {
  const blocks = outputs.map((values, o) => {
    const title = outputs.length > 1 ? `${names[o]}:\n` : '';
    if (isSoftmax10(values, n)) {
      const rows = Array.from({ length: n }, (_, i) => {
        const row = values.subarray(i * 10, i * 10 + 10);
        const best = row.indexOf(Math.max(...row));
        const label = classes?.labels ? `  ${classes.names[classes.labels[i]!] ?? classes.labels[i]}` : '';
        return `${String(i).padStart(5)}  ${`${best} ${classes?.names[best] ?? ''}`.trimEnd().padEnd(14)}  ${row[best]!.toFixed(4)}${label}`;
      });
      return `${title}${'#'.padStart(5)}  ${'class'.padEnd(14)}  prob${classes?.labels ? '    true label' : ''}\n${rows.join('\n')}`;
    }
    const per = values.length / n;
    const rows = Array.from({ length: n }, (_, i) => `${String(i).padStart(5)}  ${Array.from(values.subarray(i * per, (i + 1) * per), fmt).join('  ')}`);
    return `${title}${rows.join('\n')}`;
  });
  return blocks.join('\n\n');
}
