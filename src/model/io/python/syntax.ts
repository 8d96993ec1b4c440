// Parsing pasted Python as data (@lezer/python's syntax tree) and reading its literals. Before
// parsing, the text is checked against size and bracket-nesting limits, so hostile input (a
// megabyte line, ten thousand nested parentheses) is refused at once rather than parsed slowly;
// after parsing, syntax errors and over-deep trees are reported with their line:column.

import { parser } from '@lezer/python';
import type { SyntaxNode, Tree } from '@lezer/common';
import type { SourceText } from './errors.ts';

export const CODE_LIMITS = {
  /** Longest code accepted, in characters (@lezer/python parses the worst 100 KB in about half a second). */
  maxLength: 100_000,
  /** Deepest bracket nesting; a Keras model needs a handful. */
  maxBrackets: 50,
  /** Deepest syntax tree (long `a + b + ...` chains nest too). */
  maxTreeDepth: 200,
  /** Most statements. */
  maxStatements: 10_000,
} as const;

/** Refuses over-long code and over-deep brackets by scanning the text (strings and comments skipped). */
function checkText(src: SourceText): void {
  const text = src.text;
  if (text.length > CODE_LIMITS.maxLength) {
    throw src.error(CODE_LIMITS.maxLength, `found code longer than ${CODE_LIMITS.maxLength} characters (${text.length}); allowed: a model-building script of at most ${CODE_LIMITS.maxLength} characters.`);
  }
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const end = triple ? c.repeat(3) : c;
      i += end.length;
      while (i < text.length && !text.startsWith(end, i) && (triple || text[i] !== '\n')) i += text[i] === '\\' ? 2 : 1;
      i += end.length - 1;
    } else if (c === '(' || c === '[' || c === '{') {
      if (++depth > CODE_LIMITS.maxBrackets) {
        throw src.error(i, `found brackets nested more than ${CODE_LIMITS.maxBrackets} deep; allowed: at most ${CODE_LIMITS.maxBrackets} levels.`);
      }
    } else if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
}

/** `1.` parses as a member access with a missing name (a @lezer/python quirk): a number. */
export function isTrailingDotNumber(node: SyntaxNode): boolean {
  const first = node.firstChild;
  return node.name === 'MemberExpression' && first?.name === 'Number' && first.nextSibling?.name === '.' && (first.nextSibling.nextSibling?.type.isError ?? false);
}

/** The syntax tree; throws at the first syntax error or where the tree gets too deep. */
export function parsePython(src: SourceText): Tree {
  checkText(src);
  const tree = parser.parse(src.text);
  const cursor = tree.cursor();
  let depth = 0;
  for (;;) {
    const node = cursor.node;
    if (node.type.isError && !(node.parent && isTrailingDotNumber(node.parent))) {
      const near = src.snippet(node.from, Math.max(node.to, node.from + 20), 20).trim();
      throw src.error(node.from, `found a syntax error${near ? ` near '${near}'` : ''}; allowed: valid Python (check brackets, quotes, commas and indentation).`);
    }
    if (depth > CODE_LIMITS.maxTreeDepth) throw src.error(node.from, `found an expression nested more than ${CODE_LIMITS.maxTreeDepth} deep; allowed: simpler expressions.`);
    if (cursor.firstChild()) {
      depth++;
      continue;
    }
    while (!cursor.nextSibling()) {
      if (!cursor.parent()) return tree;
      depth--;
    }
  }
}

/** A Number token's value: 10, 1_000, 0x10, 1e-3, 1., .5. */
export function numberValue(src: SourceText, node: SyntaxNode): number {
  const text = src.text.slice(node.from, node.to).replace(/_/g, '');
  if (/[jJ]$/.test(text)) throw src.error(node.from, `found the complex number ${text}; allowed: integers and floats.`);
  const value = /^0[xob]/i.test(text) ? parseInt(text.slice(2), { x: 16, o: 8, b: 2 }[text[1]!.toLowerCase() as 'x']) : Number(text);
  if (Number.isNaN(value)) throw src.error(node.from, `found the number '${src.snippet(node.from, node.to)}', which this reader cannot read; allowed: integers and floats.`);
  return value;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/** A String token's value: 'a', "a", '''a''', r'a', u'a' with Python's escapes; bytes are refused. */
export function stringValue(src: SourceText, node: SyntaxNode): string {
  const text = src.text.slice(node.from, node.to);
  const prefix = /^[a-zA-Z]*/.exec(text)![0].toLowerCase();
  if (prefix.includes('b') || prefix.includes('f')) {
    throw src.error(node.from, `found a ${prefix.includes('b') ? 'bytes literal' : 'f-string'}; allowed: plain strings like 'relu'.`);
  }
  const rest = text.slice(prefix.length);
  const quote = rest.startsWith('"""') || rest.startsWith("'''") ? rest.slice(0, 3) : rest[0]!;
  const body = rest.slice(quote.length, rest.length - quote.length);
  if (prefix.includes('r')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i] ?? '';
    if (Object.hasOwn(ESCAPES, e)) out += ESCAPES[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const size = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + size);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === size ? parseInt(hex, 16) : NaN;
      if (!(code <= 0x10ffff)) throw src.error(node.from, `found a bad \\${e} escape in a string; allowed: \\${e} with ${size} hex digits.`);
      out += String.fromCodePoint(code);
      i += size;
    } else out += `\\${e}`;
  }
  return out;
}

const WHAT: Record<string, string> = {
  ForStatement: "a 'for' loop",
  WhileStatement: "a 'while' loop",
  FunctionDefinition: "a function definition ('def')",
  ClassDefinition: 'a class definition',
  LambdaExpression: 'a lambda',
  IfStatement: "an 'if' statement",
  TryStatement: "a 'try' statement",
  WithStatement: "a 'with' statement",
  ArrayComprehensionExpression: 'a list comprehension',
  DictionaryComprehensionExpression: 'a dict comprehension',
  SetComprehensionExpression: 'a set comprehension',
  ComprehensionExpression: 'a generator expression',
  FormatString: 'an f-string',
  ConditionalExpression: "a conditional expression ('... if ... else ...')",
  SetExpression: 'a set',
  UpdateStatement: "an augmented assignment ('+=')",
  Decorator: 'a decorator',
  ReturnStatement: "a 'return'",
  YieldStatement: "a 'yield'",
  DeleteStatement: "a 'del'",
  GlobalStatement: "a 'global'",
  NonlocalStatement: "a 'nonlocal'",
  AssertStatement: "an 'assert'",
  RaiseStatement: "a 'raise'",
  PassStatement: "a 'pass'",
  BreakStatement: "a 'break'",
  ContinueStatement: "a 'continue'",
  AwaitExpression: "an 'await'",
  MatchStatement: "a 'match' statement",
  ScopeStatement: 'a scope statement',
  CompareOp: 'a comparison',
  BitOp: 'a bitwise operation',
  Ellipsis: "an ellipsis ('...')",
};

/** What a node is, for "found ..." messages. */
export function describeNode(src: SourceText, node: SyntaxNode): string {
  if (Object.hasOwn(WHAT, node.name)) return WHAT[node.name]!;
  if (node.name === 'BinaryExpression') {
    const op = node.firstChild?.nextSibling;
    if (op && Object.hasOwn(WHAT, op.name)) return WHAT[op.name]!;
  }
  return `'${src.snippet(node.from, node.to)}'`;
}
