// Errors of the Python reader: every one carries the line and column (1-based) of the code it
// is about, so the page can point at it, and says what was found and what is allowed there.

import { CodeError } from '../codeError.ts';

/** A CodeError of the Python reader ("line 4:12: found ...; allowed: ..."). */
export class PythonCodeError extends CodeError {
  constructor(line: number, column: number, detail: string) {
    super(line, column, detail);
    this.name = 'PythonCodeError';
  }
}

/** The pasted code, for turning offsets into line:column. */
export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  error(offset: number, detail: string): PythonCodeError {
    const { line, column } = this.position(offset);
    return new PythonCodeError(line, column, detail);
  }

  /** Code text for a message, on one line and short. */
  snippet(from: number, to: number, max = 40): string {
    const text = this.text.slice(from, Math.min(to, from + max + 1)).replace(/\s+/g, ' ');
    return text.length > max ? `${text.slice(0, max)}…` : text;
  }
}
