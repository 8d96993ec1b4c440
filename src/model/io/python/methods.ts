// The model methods the Python reader knows: add, summary (counted), compile (to CompileArgs,
// through Keras's compile config), fit (to FitSettings), evaluate and predict (accepted, not
// kept) and load_weights (the file name). Data arguments (x, y, validation_data, ...) are the
// learner's arrays: they are never evaluated, only checked to be plain names and indexing.

import type { SyntaxNode } from '@lezer/common';
import type { Json } from '../../kerasConfig.ts';
import { Sequential } from '../../sequential.ts';
import { compileFromKeras, type KerasCompileConfig } from '../../train/compileConfig.ts';
import { resolveOptimizer, type OptimizerArg } from '../../train/optimizerConfig.ts';
import { resolveLoss } from '../../train/lossConfig.ts';
import type { CallbackSpec, FitSettings } from '../types.ts';
import type { Bound, CallContext } from './calls.ts';
import { kindOf, type ModelEntry, type Value } from './values.ts';

export const MODEL_METHODS = ['add', 'summary', 'compile', 'fit', 'evaluate', 'predict', 'load_weights'] as const;

/** The keyword arguments each method takes here (Keras's others are refused by name). */
export const METHOD_KEYWORDS: Record<string, readonly string[]> = {
  add: ['layer'],
  summary: ['line_length', 'positions', 'expand_nested', 'show_trainable'],
  compile: ['optimizer', 'loss', 'loss_weights', 'metrics'],
  fit: ['x', 'y', 'batch_size', 'epochs', 'verbose', 'callbacks', 'validation_split', 'validation_data', 'shuffle', 'class_weight', 'sample_weight'],
  evaluate: ['x', 'y', 'batch_size', 'verbose', 'sample_weight', 'steps', 'callbacks', 'return_dict'],
  predict: ['x', 'batch_size', 'verbose', 'steps', 'callbacks'],
  load_weights: ['filepath', 'skip_mismatch'],
};

/** Keras's positional order of add (not in the signature fixture: Sequential.add(layer, rebuild=True)). */
export const ADD_POSITIONAL = ['layer'];

const DATA_ARGS = ['x', 'y', 'validation_data', 'sample_weight', 'class_weight'];

export interface MethodContext extends CallContext {
  summaries: number;
  weightsFile?: string;
  notes: string[];
  /** Checks a data argument's syntax (names, indexing, tuples) without evaluating it. */
  checkData(node: SyntaxNode): void;
}

/** Runs a check whose error belongs at `node` (the argument) rather than at the whole call. */
function atNode(ctx: MethodContext, node: SyntaxNode, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    throw ctx.error(node, error instanceof Error ? error.message : String(error));
  }
}

const isList = (v: Value): v is { t: 'list' | 'tuple'; items: Value[] } => typeof v === 'object' && v !== null && (v.t === 'list' || v.t === 'tuple');

/** A loss, metric or weight as Keras's compile config writes it: strings, numbers, loss objects, lists and dicts of them. */
function compileJson(ctx: MethodContext, node: SyntaxNode, value: Value, what: string): Json {
  if (value === null || typeof value !== 'object') return value;
  if (value.t === 'list' || value.t === 'tuple') return value.items.map((v) => compileJson(ctx, node, v, what));
  if (value.t === 'dict') return Object.fromEntries([...value.entries].map(([k, v]) => [String(k), compileJson(ctx, node, v, what)]));
  if (value.t === 'object' && value.kind === 'loss' && what === 'loss') return { class_name: value.className, config: value.config };
  throw ctx.error(node, `compile's ${what} cannot be ${kindOf(value)}; allowed: names like 'adam', 'sparse_categorical_crossentropy', 'accuracy', lists and dicts of them${what === 'loss' ? ', keras.losses objects' : ''}.`);
}

function compile(ctx: MethodContext, entry: ModelEntry, bound: Bound, call: SyntaxNode): void {
  const config: Partial<KerasCompileConfig> = {};
  const opt = bound.get('optimizer');
  if (opt) {
    const value = ctx.evaluate(opt);
    if (typeof value === 'string') {
      atNode(ctx, opt, () => resolveOptimizer(value.toLowerCase() as OptimizerArg));
      config.optimizer = value;
    } else if (typeof value === 'object' && value !== null && value.t === 'object' && value.kind === 'optimizer') {
      config.optimizer = { class_name: value.className, config: value.config as Record<string, unknown> };
    } else throw ctx.error(opt, `compile's optimizer must be a name like 'adam' or keras.optimizers.Adam(...), got ${kindOf(value)}.`);
  }
  const loss = bound.get('loss');
  if (!loss) throw ctx.error(call, `compile needs a loss, e.g. loss='sparse_categorical_crossentropy'.`);
  config.loss = compileJson(ctx, loss, ctx.evaluate(loss), 'loss') as KerasCompileConfig['loss'];
  // compileFromKeras takes loss names on trust; check them here, at the call.
  const names = typeof config.loss === 'string' ? [config.loss] : Object.values(config.loss as object).filter((l): l is string => typeof l === 'string');
  for (const name of names) atNode(ctx, loss, () => resolveLoss(name));
  const metrics = bound.get('metrics');
  if (metrics) {
    const value = compileJson(ctx, metrics, ctx.evaluate(metrics), 'metrics');
    // tf.keras 2.x took metrics='accuracy' (Keras 3 wants a list): read it as ['accuracy'].
    config.metrics = (typeof value === 'string' ? [value] : value) as KerasCompileConfig['metrics'];
  }
  const weights = bound.get('loss_weights');
  if (weights) config.loss_weights = compileJson(ctx, weights, ctx.evaluate(weights), 'loss_weights') as KerasCompileConfig['loss_weights'];
  entry.compile = compileFromKeras(config);
}

function positiveInt(ctx: MethodContext, node: SyntaxNode, what: string): number {
  const value = ctx.json(node, what);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1_000_000) throw ctx.error(node, `${what} must be a positive integer, got ${JSON.stringify(value)}.`);
  return value;
}

function callbacks(ctx: MethodContext, node: SyntaxNode): CallbackSpec[] {
  const value = ctx.evaluate(node);
  if (value === null) return [];
  if (!isList(value)) throw ctx.error(node, `callbacks must be a list like [keras.callbacks.EarlyStopping(patience=2)], got ${kindOf(value)}.`);
  return value.items.map((item) => {
    if (typeof item === 'object' && item !== null && item.t === 'object' && item.kind === 'callback') return { className: item.className as CallbackSpec['className'], config: item.config };
    throw ctx.error(node, `callbacks must hold keras.callbacks objects, got ${kindOf(item)}.`);
  });
}

function fit(ctx: MethodContext, entry: ModelEntry, bound: Bound): void {
  const settings: FitSettings = {};
  for (const [key, node] of bound) {
    if (DATA_ARGS.includes(key)) continue;
    if (key === 'epochs') settings.epochs = positiveInt(ctx, node, 'epochs');
    else if (key === 'batch_size') settings.batchSize = positiveInt(ctx, node, 'batch_size');
    else if (key === 'validation_split') {
      const v = ctx.json(node, key);
      if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw ctx.error(node, `validation_split must be a number from 0 to below 1, got ${JSON.stringify(v)}.`);
      settings.validationSplit = v;
    } else if (key === 'shuffle') {
      const v = ctx.json(node, key);
      if (typeof v !== 'boolean') throw ctx.error(node, `shuffle must be True or False, got ${JSON.stringify(v)}.`);
      settings.shuffle = v;
    } else if (key === 'callbacks') settings.callbacks = callbacks(ctx, node);
    else ctx.json(node, key); // verbose: read, not kept
  }
  if (bound.has('validation_data')) ctx.notes.push('model.fit: validation_data is not read; the playground validates on Fashion-MNIST (set a validation split instead).');
  entry.fit = settings;
}

/** Checks data arguments and notes once that they are not read. */
function dataArguments(ctx: MethodContext, method: string, bound: Bound): void {
  const names: string[] = [];
  for (const key of DATA_ARGS) {
    const node = bound.get(key);
    if (!node) continue;
    ctx.checkData(node);
    names.push(key);
  }
  const note = 'The data arguments of model.fit/evaluate/predict (your arrays) are not read: the playground trains on Fashion-MNIST.';
  if (names.length > 0 && !ctx.notes.includes(note)) ctx.notes.push(note);
  if (method === 'evaluate' || method === 'predict') ctx.notes.push(`model.${method}(...) is accepted and not kept: run it from the page after training.`);
}

/** Runs model.<method>(...) on bound arguments. */
export function callMethod(ctx: MethodContext, entry: ModelEntry, method: string, bound: Bound, call: SyntaxNode): Value {
  if (method === 'add') {
    const node = bound.get('layer');
    if (!node) throw ctx.error(call, `model.add needs a layer, e.g. model.add(layers.Dense(10)).`);
    if (!(entry.model instanceof Sequential)) throw ctx.error(call, `model.add works on a Sequential model; "${entry.model.name}" is a functional model.`);
    const value = ctx.evaluate(node);
    if (typeof value !== 'object' || value === null || (value.t !== 'layer' && value.t !== 'tensor')) throw ctx.error(node, `model.add takes a layer, got ${kindOf(value)}.`);
    entry.model.add(value.t === 'layer' ? value.layer : value.tensor);
    return null;
  }
  if (method === 'summary') {
    for (const [key, node] of bound) ctx.json(node, key);
    ctx.summaries++;
    return null;
  }
  if (method === 'compile') compile(ctx, entry, bound, call);
  else if (method === 'fit') {
    dataArguments(ctx, method, bound);
    fit(ctx, entry, bound);
  } else if (method === 'evaluate' || method === 'predict') {
    dataArguments(ctx, method, bound);
    for (const [key, node] of bound) if (!DATA_ARGS.includes(key) && key !== 'callbacks') ctx.json(node, key);
  } else if (method === 'load_weights') {
    const node = bound.get('filepath');
    const file = node ? ctx.json(node, 'filepath') : undefined;
    if (typeof file !== 'string') throw ctx.error(node ?? call, `load_weights needs a file name, e.g. model.load_weights('model.weights.h5').`);
    const skip = bound.get('skip_mismatch');
    if (skip && ctx.json(skip, 'skip_mismatch') !== false) throw ctx.error(skip, `skip_mismatch=True is not supported; the weights must match the model.`);
    ctx.weightsFile = file;
  }
  return null;
}
