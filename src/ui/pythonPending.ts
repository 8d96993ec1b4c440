// TEMPORARY: stands in for src/model/io/python/index.ts (the Python reader, on another branch)
// until main has it; readCode.ts imports readPython from here on one marked line.

import type { LoadedModel, NamingLayout } from '../model/io/types.ts';

export function readPython(_code: string, _opts: { layout?: NamingLayout } = {}): LoadedModel {
  throw new Error('Reading Python arrives with the Python reader, which is not in this build yet; use TypeScript for now.');
}
