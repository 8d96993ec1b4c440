// The statements and argument lists of the Python reader that need no values: imports (bound
// to Keras modules, or to foreign names whose use is refused) and binding a call's arguments to
// Keras's parameter names (positional ones in Keras's order, keywords checked by name).

import type { SyntaxNode } from '@lezer/common';
import type { PythonCodeError, SourceText } from './errors.ts';
import type { Bound } from './calls.ts';
import { describeNode } from './syntax.ts';
import { importedModule, memberOf, membersOf, type Ref, type Value } from './values.ts';

function refuse(src: SourceText, node: SyntaxNode, what: string, allowed: string): PythonCodeError {
  return src.error(node.from, `found ${what}; allowed: ${allowed}.`);
}

export function readImport(src: SourceText, node: SyntaxNode, scope: Map<string, Value>): void {
  const kids = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') kids.push(c);
  const words = kids.map((k) => src.text.slice(k.from, k.to));
  if (words[0] === 'from') {
    const at = words.indexOf('import');
    const path = words.slice(1, at).join('');
    if (path.startsWith('.')) throw refuse(src, node, `a relative import`, 'imports of keras or tensorflow');
    const module = importedModule(path);
    if (!module) throw refuse(src, kids[1]!, `an import from '${path}'`, 'imports of keras and tensorflow.keras (numpy and matplotlib imports are accepted but not run)');
    for (let i = at + 1; i < kids.length; i++) {
      const k = kids[i]!;
      if (words[i] === '*') throw refuse(src, k, `'import *'`, 'named imports like from keras import layers');
      if (k.name !== 'VariableName') continue;
      const name = words[i]!;
      let alias = name;
      if (words[i + 1] === 'as') {
        alias = words[i + 2]!;
        i += 2;
      }
      scope.set(alias, imported(src, module, name, k, path));
    }
    return;
  }
  // import a.b.c [as d], e
  let i = 1;
  while (i < kids.length) {
    const start = i;
    let path = '';
    while (i < kids.length && words[i] !== ',' && words[i] !== 'as') path += words[i++];
    const module = importedModule(path);
    if (!module) throw refuse(src, kids[start]!, `an import of '${path}'`, 'imports of keras and tensorflow (numpy and matplotlib imports are accepted but not run)');
    if (words[i] === 'as') {
      scope.set(words[i + 1]!, module);
      i += 2;
    } else {
      // `import keras.layers` binds keras; `import tensorflow` binds tensorflow.
      const root = path.split('.')[0]!;
      scope.set(root, importedModule(root)!);
    }
    if (words[i] === ',') i++;
  }
}

/** `from <module> import <name>`: the member, or for a foreign module a foreign name. */
function imported(src: SourceText, module: Ref, name: string, node: SyntaxNode, path: string): Ref {
  if (module.t === 'foreign') return { t: 'foreign', module: `${module.module}.${name}` };
  const member = module.t === 'module' ? memberOf(module.path, name) : undefined;
  if (!member) throw refuse(src, node, `'${name}' imported from '${path}'`, `${membersOf(module.t === 'module' ? module.path : '').join(', ')}`);
  return member;
}

/** Binds a call's arguments to parameter names: positional ones in Keras's order, then keywords. */
export function bindArguments(src: SourceText, argList: SyntaxNode, what: string, positional: readonly string[], keywords: readonly string[]): Bound {
  const bound: Bound = new Map();
  let index = 0;
  for (let c = argList.firstChild; c; c = c.nextSibling) {
    if (c.name === '*' || c.name === '**') throw refuse(src, c, `a starred argument ('${src.text.slice(c.from, c.to)}')`, 'plain and keyword arguments');
    if (c.name === 'Comment' || !/[A-Za-z]/.test(c.name)) continue;
    if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
      const name = src.text.slice(c.from, c.to);
      const value = c.nextSibling.nextSibling!;
      if (!keywords.includes(name)) throw refuse(src, c, `the argument '${name}' of ${what}`, keywords.join(', ') || 'no arguments');
      if (bound.has(name)) throw src.error(c.from, `found '${name}' given twice to ${what}; allowed: each argument once.`);
      bound.set(name, value);
      c = value;
      continue;
    }
    const name = positional[index++];
    if (name === undefined) throw src.error(c.from, `found ${index} positional arguments to ${what}, which takes at most ${positional.length}; allowed: more as keyword arguments (${keywords.join(', ')}).`);
    if (!keywords.includes(name)) throw refuse(src, c, `a positional argument that Keras reads as '${name}' of ${what}`, keywords.join(', '));
    if (bound.size > 0 && [...bound.keys()].some((k) => !positional.slice(0, index).includes(k))) throw src.error(c.from, `found a positional argument after a keyword argument; allowed: positional arguments first.`);
    bound.set(name, c);
  }
  return bound;
}

const DATA_NODES = new Set(['VariableName', 'MemberExpression', 'PropertyName', 'TupleExpression', 'ArrayExpression', 'ParenthesizedExpression', 'Number', 'String', 'BinaryExpression', 'UnaryExpression', 'ArithOp', 'None', 'Boolean', 'SliceExpression']);

/** A data argument: names, attributes, indexing, tuples and numbers only; never evaluated. */
export function checkDataArgument(src: SourceText, node: SyntaxNode): void {
  const cursor = node.cursor();
  const end = node.to;
  do {
    const n = cursor.node;
    if (n.from >= end) break;
    if (n.name !== 'Comment' && /[A-Za-z]/.test(n.name) && !DATA_NODES.has(n.name)) {
      throw refuse(src, n, `${n.name === 'CallExpression' ? `a call to '${src.snippet(n.firstChild!.from, n.firstChild!.to, 60)}'` : describeNode(src, n)} in a data argument`, 'names of your arrays, with indexing like x[:1000] (they are not read: the playground trains on Fashion-MNIST)');
    }
  } while (cursor.next() && cursor.from < end);
}
