// The values TypeScript model code can hold, and the literals it may write: numbers (with a
// sign), strings, true/false/null, arrays and object literals. Everything else the code names
// is a layer, a tensor, a model or one of the API's functions. Nothing here runs code.

import type { SyntaxNode } from '@lezer/common';
import { CodeError, positionAt } from '../codeError.ts';

/** One of the model API's functions or namespaces, as the code names them. */
export class Builtin {
  constructor(readonly name: 'layers' | 'sequential' | 'input' | 'model' | 'console' | 'console.log') {}
}

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value } | object;

/** The most items an array or object literal may hold (shapes and options are short). */
export const MAX_ITEMS = 1000;

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ';', ':', '.', '?.']);

/** A node's children without punctuation and comments. */
export function parts(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (!PUNCTUATION.has(c.name) && c.name !== 'LineComment' && c.name !== 'BlockComment') out.push(c);
  }
  return out;
}

export const isPlainObject = (v: unknown): v is Record<string, Value> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Reads source text and makes positioned errors. */
export class Source {
  constructor(readonly code: string) {}

  text(node: SyntaxNode): string {
    return this.code.slice(node.from, node.to);
  }

  /** The node's text on one line, clipped: what an error message quotes. */
  quote(node: SyntaxNode): string {
    const t = this.text(node).replace(/\s+/g, ' ');
    return t.length > 60 ? `${t.slice(0, 60)}…` : t;
  }

  error(node: SyntaxNode | number, detail: string): CodeError {
    const { line, column } = positionAt(this.code, typeof node === 'number' ? node : node.from);
    return new CodeError(line, column, detail);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** A string literal's value ('relu', "same", with the usual escapes). */
export function stringValue(src: Source, node: SyntaxNode): string {
  const raw = src.text(node).slice(1, -1);
  return raw.replace(/\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])/g, (_, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(Math.min(parseInt(e.slice(2, -1), 16), 0x10ffff));
    if (e.length > 1 && (e[0] === 'u' || e[0] === 'x')) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? (e === '\n' ? '' : e);
  });
}

/** A number literal's value (1e-3, 0x10, 1_000); throws on what is not a finite number. */
export function numberValue(src: Source, node: SyntaxNode): number {
  const t = src.text(node).replace(/_/g, '');
  if (/n$/.test(t)) throw src.error(node, `found the BigInt ${src.quote(node)}; write a plain number.`);
  const v = Number(t);
  if (!Number.isFinite(v)) throw src.error(node, `found ${src.quote(node)}, which is not a finite number.`);
  return v;
}

/** What a syntax node is, in words, for "found ..." messages. */
export function describeNode(src: Source, node: SyntaxNode): string {
  const words: Record<string, string> = {
    ForStatement: 'a for loop', ForInStatement: 'a for loop', ForOfStatement: 'a for loop', WhileStatement: 'a while loop',
    DoStatement: 'a do-while loop', IfStatement: 'an if statement', FunctionDeclaration: 'a function', ArrowFunction: 'a function',
    FunctionExpression: 'a function', ClassDeclaration: 'a class', ClassExpression: 'a class', NewExpression: 'a `new` expression',
    TemplateString: 'a template string', TryStatement: 'a try statement', SwitchStatement: 'a switch statement',
    ExportDeclaration: 'an export', ThrowStatement: 'a throw statement', ReturnStatement: 'a return statement',
    BinaryExpression: 'an operator expression', ConditionalExpression: 'a conditional expression', Spread: 'a spread (...)',
    Block: 'a block', LabeledStatement: 'a label', WithStatement: 'a with statement', YieldExpression: 'yield',
    RegExp: 'a regular expression', TypeAliasDeclaration: 'a type declaration', InterfaceDeclaration: 'an interface',
    EnumDeclaration: 'an enum', NamespaceDeclaration: 'a namespace', DebuggerStatement: 'a debugger statement',
  };
  return `${words[node.name] ?? 'code'} \`${src.quote(node)}\``;
}
