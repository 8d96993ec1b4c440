// Interprets the closed subset of TypeScript our model API is written in, from the syntax tree,
// without executing anything: imports of the API, const/let variables, literals, the layer
// factories, input(), sequential(), model(), .apply(), .add(), .summary(), .compile() and
// console.log. Every other construct is refused with its line:column, what was found there and
// what is allowed. The model API itself checks every option (the same messages as in code).

import type { SyntaxNode } from '@lezer/common';
import { LayerModel } from '../../functional.ts';
import { Layer } from '../../layer.ts';
import * as layerFactories from '../../layers/index.ts';
import { LAYERS } from '../../layers/registry.ts';
import { input, model, sequential } from '../../index.ts';
import { Sequential } from '../../sequential.ts';
import { SymbolicTensor } from '../../tensor.ts';
import { resolveCompile, type CompileArgs } from '../../train/config.ts';
import { CodeError } from '../codeError.ts';
import { Builtin, MAX_ITEMS, describeNode, isPlainObject, numberValue, parts, stringValue, type Source, type Value } from './values.ts';

const API_NAMES = ['layers', 'sequential', 'input', 'model'] as const;
const FACTORIES = new Set<string>(['inputLayer', ...Object.values(LAYERS).map((e) => e.factory)]);
const MAX_DEPTH = 40;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export const ALLOWED_STATEMENTS =
  "the code may only import the model API, declare variables (const/let) and call layers.<layer>({...}), input({...}), sequential({...}), model({...}), <layer>.apply(x), <model>.add(layer), <model>.summary(), <model>.compile({...}) and console.log(...)";
const ALLOWED_CALLS =
  'allowed calls: layers.<layer>({...}), input({...}), sequential({...}), model({...}), <layer>.apply(x), <model>.add(layer), <model>.summary(), <model>.compile({...}), console.log(...)';

interface Binding {
  value: Value;
  mutable: boolean;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class Interpreter {
  private readonly env = new Map<string, Binding>();
  /** Models in the order the code made them; the last one is the code's model. */
  readonly models: LayerModel[] = [];
  readonly compiled = new Map<LayerModel, CompileArgs>();
  readonly notes: string[] = [];
  private depth = 0;

  constructor(private readonly src: Source) {
    for (const name of API_NAMES) this.env.set(name, { value: new Builtin(name), mutable: false });
    this.env.set('console', { value: new Builtin('console'), mutable: false });
  }

  statement(node: SyntaxNode): void {
    switch (node.name) {
      case 'LineComment':
      case 'BlockComment':
      case ';':
        return;
      case 'ImportDeclaration':
        return this.importDeclaration(node);
      case 'VariableDeclaration':
        return this.declaration(node);
      case 'ExpressionStatement': {
        const [expr] = parts(node);
        if (expr) this.expression(expr);
        return;
      }
      default:
        throw this.src.error(node, `found ${describeNode(this.src, node)}; ${ALLOWED_STATEMENTS}.`);
    }
  }

  private importDeclaration(node: SyntaxNode): void {
    const group = node.getChild('ImportGroup');
    if (!group) throw this.src.error(node, `found ${describeNode(this.src, node)}; import the API by name: import { layers, sequential, input, model } from '...'.`);
    for (const def of parts(group)) {
      const name = this.src.text(def);
      if (def.name !== 'VariableDefinition' || !(API_NAMES as readonly string[]).includes(name)) {
        throw this.src.error(def, `found the import \`${this.src.quote(def)}\`; the model code may import only ${API_NAMES.join(', ')}.`);
      }
    }
  }

  private declaration(node: SyntaxNode): void {
    const mutable = this.src.text(node).startsWith('const') ? false : true;
    let name: SyntaxNode | null = null;
    for (const c of parts(node)) {
      if (c.name === 'const' || c.name === 'let' || c.name === 'var' || c.name === 'TypeAnnotation' || c.name === 'Equals') continue;
      if (c.name === 'VariableDefinition') {
        if (name) throw this.src.error(name, `\`${this.src.text(name)}\` needs a value: write \`const ${this.src.text(name)} = ...\`.`);
        name = c;
        continue;
      }
      if (!name) throw this.src.error(c, `found ${describeNode(this.src, c)} where a variable name belongs (destructuring is not supported).`);
      this.define(name, this.expression(c), mutable);
      name = null;
    }
    if (name) throw this.src.error(name, `\`${this.src.text(name)}\` needs a value: write \`const ${this.src.text(name)} = ...\`.`);
  }

  private define(node: SyntaxNode, value: Value, mutable: boolean): void {
    const name = this.src.text(node);
    if (this.env.has(name)) throw this.src.error(node, `\`${name}\` is already defined; give the new value another name${this.env.get(name)!.mutable ? ` or assign it (${name} = ...)` : ''}.`);
    this.env.set(name, { value, mutable });
  }

  expression(node: SyntaxNode): Value {
    if (++this.depth > MAX_DEPTH) throw this.src.error(node, `the expression nests more than ${MAX_DEPTH} levels deep.`);
    try {
      return this.evaluate(node);
    } finally {
      this.depth--;
    }
  }

  private evaluate(node: SyntaxNode): Value {
    switch (node.name) {
      case 'Number':
        return numberValue(this.src, node);
      case 'String':
        return stringValue(this.src, node);
      case 'BooleanLiteral':
        return this.src.text(node) === 'true';
      case 'null':
        return null;
      case 'ParenthesizedExpression':
      case 'AwaitExpression':
        return this.only(node, 'an expression');
      case 'UnaryExpression':
        return this.unary(node);
      case 'BinaryExpression':
        // `x as Something`: a type assertion, nothing to compute.
        if (node.getChild('as')) return this.expression(parts(node)[0]!);
        break;
      case 'ArrayExpression':
        return this.list(node);
      case 'ObjectExpression':
        return this.object(node);
      case 'VariableName':
        return this.lookup(node);
      case 'AssignmentExpression':
        return this.assign(node);
      case 'CallExpression':
        return this.call(node);
      case 'MemberExpression': {
        const [obj, prop] = parts(node);
        if (obj && prop && this.src.text(obj) === 'console' && this.src.text(prop) === 'log') return new Builtin('console.log');
        break;
      }
    }
    throw this.src.error(node, `found ${describeNode(this.src, node)}; values may be numbers, strings, true/false/null, [lists], {options}, variables and the API's calls (${ALLOWED_CALLS}).`);
  }

  /** The value of a node's single inner expression (parentheses, await). */
  private only(node: SyntaxNode, what: string): Value {
    const inner = parts(node).filter((c) => c.name !== 'await');
    if (inner.length !== 1) throw this.src.error(node, `expected ${what} here.`);
    return this.expression(inner[0]!);
  }

  private unary(node: SyntaxNode): Value {
    const [op, arg] = parts(node);
    const sign = op ? this.src.text(op) : '';
    if ((sign === '-' || sign === '+') && arg) {
      const v = this.expression(arg);
      if (typeof v === 'number') return sign === '-' ? -v : v;
    }
    throw this.src.error(node, `found ${describeNode(this.src, node)}; only a sign before a number (-1) is allowed.`);
  }

  private list(node: SyntaxNode): Value[] {
    const items = parts(node);
    if (items.length > MAX_ITEMS) throw this.src.error(node, `a list may hold at most ${MAX_ITEMS} items, this one has ${items.length}.`);
    return items.map((c) => this.expression(c));
  }

  private object(node: SyntaxNode): Record<string, Value> {
    const out: Record<string, Value> = {};
    const props = parts(node);
    if (props.length > MAX_ITEMS) throw this.src.error(node, `an object may hold at most ${MAX_ITEMS} options.`);
    for (const p of props) {
      const [key, value, extra] = parts(p);
      if (p.name !== 'Property' || !key || extra || (key.name !== 'PropertyDefinition' && key.name !== 'String')) {
        throw this.src.error(p, `found ${describeNode(this.src, p)}; options are written \`name: value\`.`);
      }
      const name = key.name === 'String' ? stringValue(this.src, key) : this.src.text(key);
      if (FORBIDDEN_KEYS.has(name)) throw this.src.error(key, `\`${name}\` is not an option name.`);
      // `{ inputs }` is short for `{ inputs: inputs }`.
      out[name] = value ? this.expression(value) : this.lookupName(key, name);
    }
    return out;
  }

  private lookup(node: SyntaxNode): Value {
    return this.lookupName(node, this.src.text(node));
  }

  private lookupName(node: SyntaxNode, name: string): Value {
    const binding = this.env.get(name);
    if (!binding) {
      throw this.src.error(node, `found \`${name}\`, which is not defined here; the names defined so far are ${[...this.env.keys()].join(', ')}.`);
    }
    return binding.value;
  }

  private assign(node: SyntaxNode): Value {
    const [target, op, value] = parts(node);
    if (!target || target.name !== 'VariableName' || !op || op.name !== 'Equals' || !value) {
      throw this.src.error(node, `found ${describeNode(this.src, node)}; only a variable may be assigned: x = layers.dense({...}).apply(x).`);
    }
    const name = this.src.text(target);
    const binding = this.env.get(name);
    if (!binding) throw this.src.error(target, `\`${name}\` is not declared; write \`let ${name} = ...\` first.`);
    if (!binding.mutable) throw this.src.error(target, `\`${name}\` is a const (or part of the API); declare it with let to assign it again.`);
    binding.value = this.expression(value);
    return binding.value;
  }

  private call(node: SyntaxNode): Value {
    const callee = node.firstChild!;
    const argList = node.getChild('ArgList');
    if (!argList || node.getChild('TypeArgList')) throw this.src.error(node, `found ${describeNode(this.src, node)}; ${ALLOWED_CALLS}.`);
    const argNodes = parts(argList);
    const what = this.src.quote(callee);
    const args = (): Value[] => argNodes.map((a) => this.expression(a));
    if (callee.name === 'VariableName') {
      if (!this.env.has(this.src.text(callee))) throw this.src.error(callee, `found a call of \`${what}\`, which is not defined here; ${ALLOWED_CALLS}.`);
      const fn = this.lookup(callee);
      const name = fn instanceof Builtin ? fn.name : null;
      if (name === 'sequential' || name === 'input' || name === 'model') return this.api(node, what, () => this.apiCall(name, args()));
    } else if (callee.name === 'MemberExpression' && callee.getChild('PropertyName') && !callee.getChild('?.')) {
      const [objNode, propNode] = parts(callee);
      const method = this.src.text(propNode!);
      const obj = this.expression(objNode!);
      if (obj instanceof Builtin && obj.name === 'layers') {
        if (!FACTORIES.has(method)) throw this.src.error(propNode!, `found layers.${method}, which is not a layer here; the layers are ${[...FACTORIES].join(', ')}.`);
        const factory = (layerFactories as unknown as Record<string, (a?: Value) => Layer>)[method]!;
        return this.api(node, what, () => factory(...(args() as [Value?])));
      }
      if (obj instanceof Builtin && obj.name === 'console' && method === 'log') {
        args();
        return null;
      }
      if (obj instanceof Layer && method === 'apply') return this.api(node, what, () => obj.apply(...(args() as [SymbolicTensor])));
      if (obj instanceof LayerModel) return this.modelMethod(node, what, obj, method, args);
    }
    throw this.src.error(callee, `found a call of \`${what}\`; ${ALLOWED_CALLS}.`);
  }

  private apiCall(name: 'sequential' | 'input' | 'model', args: Value[]): Value {
    if (args.length > 1) throw new Error(`${name}() takes one options object, got ${args.length} arguments.`);
    if (args.length === 1 && !isPlainObject(args[0])) throw new Error(`${name}() takes an options object, e.g. ${name}({ name: 'x' }).`);
    const options = (args[0] ?? {}) as never;
    if (name === 'input') return input(options);
    const m = name === 'sequential' ? sequential(options) : model(options);
    this.models.push(m);
    return m;
  }

  private modelMethod(node: SyntaxNode, what: string, m: LayerModel, method: string, args: () => Value[]): Value {
    if (method === 'add' && m instanceof Sequential) {
      return this.api(node, what, () => {
        m.add(...(args() as [Layer]));
        return null;
      });
    }
    if (method === 'summary') {
      args();
      this.notes.push(`${this.src.quote(node)}: the summary is shown on the page.`);
      return null;
    }
    if (method === 'compile') {
      return this.api(node, what, () => {
        const [options, extra] = args();
        if (!isPlainObject(options) || extra !== undefined) throw new Error('compile() takes one options object: compile({ optimizer, loss, metrics }).');
        const { engine, ...rest } = options;
        if (engine !== undefined) this.notes.push("compile(): the page chooses the engine itself; `engine` was left out.");
        resolveCompile(m, rest as unknown as CompileArgs);
        this.compiled.set(m, rest as unknown as CompileArgs);
        return null;
      });
    }
    throw this.src.error(node, `found a call of \`${what}\`; a model here offers ${m instanceof Sequential ? 'add(layer), ' : ''}summary() and compile({...}).`);
  }

  /** Runs one model API call; its errors become code errors at the call. */
  private api(node: SyntaxNode, what: string, run: () => Value): Value {
    try {
      return run();
    } catch (e) {
      if (e instanceof CodeError) throw e;
      throw this.src.error(node, `${what}(...): ${errorText(e)}`);
    }
  }
}
