// The error of a code reader (Python, TypeScript): where in the pasted code, what was found there
// and what is allowed instead. The page shows it under that line; `line` and `column` count from 1.

export class CodeError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    /** The message without its position, for the editor's diagnostic. */
    readonly detail: string,
  ) {
    super(`line ${line}:${column}: ${detail}`);
    this.name = 'CodeError';
  }
}

/** The 1-based line and column of a character offset in `code`. */
export function positionAt(code: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.min(offset, code.length);
  for (let i = code.indexOf('\n'); i !== -1 && i < end; i = code.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: end - start + 1 };
}

/** Any error that carries a position in the code (a CodeError, or a reader's own subclass-alike). */
export function hasCodePosition(e: unknown): e is Error & { line: number; column: number } {
  if (!(e instanceof Error)) return false;
  const { line, column } = e as Error & { line?: unknown; column?: unknown };
  return typeof line === 'number' && typeof column === 'number' && Number.isFinite(line) && Number.isFinite(column);
}
