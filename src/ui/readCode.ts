// Pasted code to a model, by language: Python through the Python reader, TypeScript through
// ours. Neither runs the code; both throw errors with a line and column on what they refuse.

import type { LoadedModel, NamingLayout } from '../model/io/types.ts';
import { readTypeScript } from '../model/io/typescript/index.ts';
import { readPython } from '../model/io/python/index.ts';
import type { CodeLanguage } from './store/codeSlice.ts';

export function readCode(language: CodeLanguage, code: string, layout: NamingLayout): LoadedModel {
  return language === 'python' ? readPython(code, { layout }) : readTypeScript(code);
}
