// Reads model code written with this project's TypeScript API (what the page shows under
// "TypeScript", the README's examples) into a model, never executing it: the code is parsed with
// @lezer/javascript's TypeScript dialect and the tree is interpreted (interpreter.ts). The
// model is the last one the code makes; its compile() settings come along.

import { parser } from '@lezer/javascript';
import { resetNameScope } from '../../naming.ts';
import { CodeError } from '../codeError.ts';
import type { LoadedModel } from '../types.ts';
import { Interpreter } from './interpreter.ts';
import { Source, parts } from './values.ts';

export { CodeError } from '../codeError.ts';

/** Longer code than any model definition needs; refused before parsing. */
export const MAX_CODE_LENGTH = 200_000;
const MAX_STATEMENTS = 20_000;

const tsParser = parser.configure({ dialect: 'ts' });

/** The first syntax error in the tree, as a CodeError. */
function syntaxError(src: Source, tree: ReturnType<typeof tsParser.parse>): CodeError | null {
  let at = -1;
  tree.iterate({
    enter: (n) => {
      if (at >= 0) return false;
      if (n.type.isError) at = n.from;
      return undefined;
    },
  });
  if (at < 0) return null;
  const found = src.code.slice(at, at + 30).split('\n')[0]!.trim();
  return src.error(at, found ? `the code does not parse here (at \`${found}\`): check brackets, quotes and commas.` : 'the code ends too early: a bracket or quote is not closed.');
}

/** The model that `code` builds with the TypeScript API. Throws CodeError (line, column) on anything else. */
export function readTypeScript(code: string): LoadedModel {
  if (code.length > MAX_CODE_LENGTH) throw new CodeError(1, 1, `the code is ${code.length} characters long; model code up to ${MAX_CODE_LENGTH} is read.`);
  const src = new Source(code);
  const tree = tsParser.parse(code);
  const bad = syntaxError(src, tree);
  if (bad) throw bad;
  const statements = parts(tree.topNode);
  if (statements.length > MAX_STATEMENTS) throw new CodeError(1, 1, `the code has ${statements.length} statements; at most ${MAX_STATEMENTS} are read.`);
  // Pasted code is a fresh session: Keras's automatic names start again (conv2d, dense, ...).
  resetNameScope();
  const run = new Interpreter(src);
  for (const s of statements) run.statement(s);
  const model = run.models.at(-1);
  if (!model) {
    throw src.error(code.length, 'the code makes no model: start one with sequential({...}) or build one with model({ inputs, outputs }).');
  }
  if (model.layers.length === 0) throw src.error(code.length, `the model "${model.name}" has no layers: add them with .add(layers.dense({...})).`);
  const compile = run.compiled.get(model);
  const notes = [...run.notes];
  if (run.models.length > 1) notes.push(`The code makes ${run.models.length} models; the last one ("${model.name}") was read.`);
  return { model, weightsLoaded: false, format: 'TypeScript code', notes, ...(compile ? { compile } : {}) };
}
