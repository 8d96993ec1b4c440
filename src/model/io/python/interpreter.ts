// The interpreter of the Python reader: it walks @lezer/python's syntax tree of the pasted code
// and gives meaning to a closed subset of Python - imports of Keras, assignments to names,
// literals and number arithmetic, calls of Keras names and of the model's methods. Nothing is
// ever executed: there is no eval path at all (no eval, Function, import() or worker), only a
// switch over node types whose every other case throws a PythonCodeError naming what was found
// and what is allowed, at its line:column. Without loops or functions the work is linear in the
// code's size, and the size and nesting are bounded in syntax.ts.

import type { SyntaxNode } from '@lezer/common';
import type { Json } from '../../kerasConfig.ts';
import type { LayerModel } from '../../functional.ts';
import { LIMITS } from '../../validate.ts';
import { PythonCodeError, type SourceText } from './errors.ts';
import { CODE_LIMITS, describeNode, isTrailingDotNumber, numberValue, stringValue } from './syntax.ts';
import { callKeras, keywordsOf, refJson } from './calls.ts';
import { ADD_POSITIONAL, METHOD_KEYWORDS, MODEL_METHODS, callMethod, type MethodContext } from './methods.ts';
import { KERAS_POSITIONAL } from './signatures.ts';
import { isRef, kindOf, memberOf, membersOf, type ModelEntry, type Ref, type Value } from './values.ts';
import { bindArguments, checkDataArgument, readImport } from './statements.ts';

const ALLOWED_STATEMENTS = 'imports of keras/tensorflow, assignments to a name, calls of Keras layers and models, and model.add/summary/compile/fit/evaluate/predict/load_weights';
const ALLOWED_VALUES = "numbers, strings, True/False/None, tuples, lists, dicts, + - * / // % ** on numbers, names assigned above, and Keras calls like layers.Dense(10)";

/** The children of a node that carry meaning (comments and punctuation dropped). */
function parts(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment' && /[A-Za-z]/.test(c.name)) out.push(c);
  return out;
}

export class Interpreter implements MethodContext {
  private readonly scope = new Map<string, Value>();
  readonly models: ModelEntry[] = [];
  readonly notes: string[] = [];
  summaries = 0;
  weightsFile?: string;
  private statements = 0;
  private layers = 0;

  constructor(private readonly src: SourceText) {}

  error(node: SyntaxNode, detail: string): PythonCodeError {
    return this.src.error(node.from, detail);
  }

  private refuse(node: SyntaxNode, what: string, allowed: string): PythonCodeError {
    return this.error(node, `found ${what}; allowed: ${allowed}.`);
  }

  private text(node: SyntaxNode): string {
    return this.src.text.slice(node.from, node.to);
  }

  // ---- statements ----

  run(script: SyntaxNode): void {
    for (const statement of parts(script)) this.statement(statement);
  }

  private statement(node: SyntaxNode): void {
    if (++this.statements > CODE_LIMITS.maxStatements) throw this.refuse(node, `more than ${CODE_LIMITS.maxStatements} statements`, 'a model-building script');
    switch (node.name) {
      case 'StatementGroup':
        for (const s of parts(node)) this.statement(s);
        return;
      case 'ImportStatement':
        return readImport(this.src, node, this.scope);
      case 'AssignStatement':
        return this.assign(node);
      case 'ExpressionStatement': {
        const [expr] = parts(node);
        // A bare string is a docstring or a note: nothing to do.
        if (expr && (expr.name === 'String' || expr.name === 'ContinuedString')) return;
        if (!expr || expr.name !== 'CallExpression') throw this.refuse(node, `the expression '${this.src.snippet(node.from, node.to)}' on its own`, ALLOWED_STATEMENTS);
        this.evaluate(expr);
        return;
      }
      default:
        throw this.refuse(node, describeNode(this.src, node), ALLOWED_STATEMENTS);
    }
  }

  private assign(node: SyntaxNode): void {
    const kids = parts(node);
    const ops = kids.filter((k) => k.name === 'AssignOp').length;
    const target = kids[0]!;
    if (ops !== 1 || kids.length !== 3 || target.name !== 'VariableName') {
      throw this.refuse(target, `an assignment to '${this.src.snippet(node.from, kids[kids.length - 1]!.from - 1)}'`, 'assignments to one name, like x = layers.Dense(10)(x)');
    }
    const value = this.evaluate(kids[2]!);
    const name = this.text(target);
    if (typeof value === 'object' && value !== null && value.t === 'model') value.entry.variable = name;
    this.scope.set(name, value);
  }

  // ---- expressions ----

  evaluate(node: SyntaxNode): Value {
    switch (node.name) {
      case 'Number':
        return numberValue(this.src, node);
      case 'String':
        return stringValue(this.src, node);
      case 'ContinuedString':
        return parts(node).map((s) => (s.name === 'String' ? stringValue(this.src, s) : this.evaluate(s))).join('');
      case 'Boolean':
        return this.text(node) === 'True';
      case 'None':
        return null;
      case 'VariableName':
        return this.lookup(node);
      case 'ParenthesizedExpression': {
        const inner = parts(node);
        if (inner.length !== 1) throw this.refuse(node, describeNode(this.src, node), ALLOWED_VALUES);
        return this.evaluate(inner[0]!);
      }
      case 'TupleExpression':
      case 'ArrayExpression':
        return { t: node.name === 'TupleExpression' ? 'tuple' : 'list', items: this.items(node) };
      case 'DictionaryExpression':
        return this.dict(node);
      case 'UnaryExpression':
        return this.unary(node);
      case 'BinaryExpression':
        return this.binary(node);
      case 'MemberExpression':
        if (isTrailingDotNumber(node)) return numberValue(this.src, node.firstChild!);
        return this.member(node);
      case 'CallExpression':
        return this.call(node);
      default:
        throw this.refuse(node, describeNode(this.src, node), ALLOWED_VALUES);
    }
  }

  private items(node: SyntaxNode): Value[] {
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === '*' || c.name === '**') throw this.refuse(c, 'a starred expression', ALLOWED_VALUES);
    return parts(node).map((k) => this.evaluate(k));
  }

  private dict(node: SyntaxNode): Value {
    const entries = new Map<string | number, Value>();
    const kids = [];
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.name === '**') throw this.refuse(c, "a '**' spread", ALLOWED_VALUES);
      if (c.name !== 'Comment' && c.name !== '{' && c.name !== '}' && c.name !== ',' && c.name !== ':') kids.push(c);
    }
    for (let i = 0; i + 1 < kids.length; i += 2) {
      const key = this.evaluate(kids[i]!);
      if (typeof key !== 'string' && typeof key !== 'number') throw this.error(kids[i]!, `found a dict key that is ${kindOf(key)}; allowed: string keys like output names.`);
      entries.set(key, this.evaluate(kids[i + 1]!));
    }
    return { t: 'dict', entries };
  }

  private number(node: SyntaxNode): number {
    const v = this.evaluate(node);
    if (typeof v !== 'number') throw this.error(node, `found arithmetic on ${kindOf(v)}; allowed: arithmetic on numbers only.`);
    return v;
  }

  private unary(node: SyntaxNode): Value {
    const op = node.firstChild!;
    const operand = parts(node).slice(-1)[0]!;
    const symbol = this.text(op);
    if (symbol !== '-' && symbol !== '+') throw this.refuse(op, `the operator '${symbol}'`, ALLOWED_VALUES);
    const v = this.number(operand);
    return symbol === '-' ? -v : v;
  }

  private binary(node: SyntaxNode): Value {
    const left = node.firstChild!;
    const op = left.nextSibling!;
    const right = op.nextSibling!;
    const symbol = this.text(op);
    if (op.name !== 'ArithOp' || symbol === '@') throw this.refuse(op, `the operator '${symbol}'`, ALLOWED_VALUES);
    const a = this.number(left);
    const b = this.number(right);
    if ((symbol === '/' || symbol === '//' || symbol === '%') && b === 0) throw this.error(op, `found a division by zero; allowed: ${ALLOWED_VALUES}.`);
    const result = symbol === '+' ? a + b : symbol === '-' ? a - b : symbol === '*' ? a * b : symbol === '/' ? a / b
      : symbol === '//' ? Math.floor(a / b) : symbol === '%' ? ((a % b) + b) % b : a ** b;
    if (!Number.isFinite(result)) throw this.error(node, `found arithmetic whose result is not a finite number; allowed: ${ALLOWED_VALUES}.`);
    return result;
  }

  private lookup(node: SyntaxNode): Value {
    const name = this.text(node);
    if (!this.scope.has(name)) {
      throw this.refuse(node, `the name '${name}', which is not defined here (only the data arguments of model.fit/evaluate/predict may name your arrays)`, 'names assigned or imported above');
    }
    const value = this.scope.get(name)!;
    if (isRef(value) && value.t === 'foreign') throw this.refuse(node, `a use of '${name}' (from ${value.module}, imported but not run here)`, 'Keras names; your data only in the data arguments of model.fit');
    return value;
  }

  /** The dotted text of a callee or attribute chain, for messages. */
  private dotted(node: SyntaxNode): string {
    return this.src.snippet(node.from, node.to, 60);
  }

  private member(node: SyntaxNode): Value {
    const kids = parts(node);
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === '[') throw this.refuse(node, `the subscript '${this.dotted(node)}'`, ALLOWED_VALUES);
    const object = this.evaluate(kids[0]!);
    const property = kids[kids.length - 1]!;
    const name = this.text(property);
    if (isRef(object) && object.t === 'module') {
      const member = memberOf(object.path, name);
      if (!member) throw this.refuse(property, `'${this.dotted(node)}'`, membersOf(object.path).slice(0, 60).join(', '));
      return member;
    }
    if (isRef(object) && object.t === 'model') {
      if (!(MODEL_METHODS as readonly string[]).includes(name)) throw this.refuse(property, `'${this.dotted(node)}'`, MODEL_METHODS.map((m) => `model.${m}(...)`).join(', '));
      return { t: 'method', entry: object.entry, name };
    }
    throw this.refuse(property, `the attribute '${this.dotted(node)}' of ${kindOf(object)}`, 'attributes of keras modules and the model methods add, summary, compile, fit, evaluate, predict, load_weights');
  }

  private callee(node: SyntaxNode): Value {
    // A call to an undefined name says what was called: "a call to 'eval'", "a call to 'os.system'".
    let root = node;
    while (root.name === 'MemberExpression' && root.firstChild) root = root.firstChild;
    if (root.name === 'VariableName' && !this.scope.has(this.text(root))) {
      throw this.refuse(node, `a call to '${this.dotted(node)}'`, 'calls of Keras names imported above and of the model methods');
    }
    return this.evaluate(node);
  }

  private call(node: SyntaxNode): Value {
    const calleeNode = node.firstChild!;
    const argList = node.lastChild!;
    const callee = this.callee(calleeNode);
    if (!isRef(callee)) throw this.refuse(calleeNode, `a call of ${kindOf(callee)}`, 'calls of Keras names and model methods');
    try {
      switch (callee.t) {
        case 'callable':
          return callKeras(this, callee.path, bindArguments(this.src, argList, callee.path, KERAS_POSITIONAL[callee.path] ?? [], keywordsOf(callee.path)), node);
        case 'method': {
          const positional = callee.name === 'add' ? ADD_POSITIONAL : KERAS_POSITIONAL[`Model.${callee.name}`] ?? [];
          return callMethod(this, callee.entry, callee.name, bindArguments(this.src, argList, `model.${callee.name}`, positional, METHOD_KEYWORDS[callee.name]!), node);
        }
        case 'layer':
          return this.applyLayer(callee, argList);
        default:
          throw this.refuse(calleeNode, `a call of ${kindOf(callee)}`, 'calls of Keras layers, models and model methods');
      }
    } catch (error) {
      if (error instanceof PythonCodeError) throw error;
      // The model API's own message (a bad option, a shape mismatch), at this call.
      throw this.error(node, error instanceof Error ? error.message : String(error));
    }
  }

  /** layer(x) or layer([a, b]): the layer applied to tensors (again for a shared layer). */
  private applyLayer(callee: Extract<Ref, { t: 'layer' }>, argList: SyntaxNode): Value {
    const bound = bindArguments(this.src, argList, callee.layer.className, ['inputs'], ['inputs']);
    const node = bound.get('inputs');
    if (!node) throw this.error(argList, `a layer is called on a tensor, e.g. layers.Dense(10)(x).`);
    const value = this.evaluate(node);
    const tensor = (v: Value) => {
      if (isRef(v) && v.t === 'tensor') return v.tensor;
      throw this.error(node, `a layer is called on tensors (keras.Input(...) or another layer's output), got ${kindOf(v)}.`);
    };
    const inputs = typeof value === 'object' && value !== null && (value.t === 'list' || value.t === 'tuple') ? value.items.map(tensor) : tensor(value);
    return { t: 'tensor', tensor: callee.layer.apply(inputs) };
  }

  // ---- CallContext ----

  json(node: SyntaxNode, what: string): Json {
    return this.toJson(node, this.evaluate(node), what);
  }

  private toJson(node: SyntaxNode, value: Value, what: string): Json {
    if (value === null || typeof value !== 'object') return value;
    if (value.t === 'list' || value.t === 'tuple') return value.items.map((v) => this.toJson(node, v, what));
    if (value.t === 'dict') return Object.fromEntries([...value.entries].map(([k, v]) => [String(k), this.toJson(node, v, what)]));
    const ref = isRef(value) ? refJson(value) : undefined;
    if (ref) return ref;
    throw this.error(node, `found ${kindOf(value)} as ${what}; allowed: ${ALLOWED_VALUES}.`);
  }

  countLayer(node: SyntaxNode): void {
    if (++this.layers > LIMITS.maxLayers) throw this.refuse(node, `more than ${LIMITS.maxLayers} layers`, `at most ${LIMITS.maxLayers} layers`);
  }

  addModel(model: LayerModel): Ref {
    const entry: ModelEntry = { model };
    this.models.push(entry);
    return { t: 'model', entry };
  }

  checkData(node: SyntaxNode): void {
    checkDataArgument(this.src, node);
  }
}
