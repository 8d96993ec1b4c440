// The Keras callables the Python reader knows, run on our model API: layer classes (through
// layerFromKeras, so every option the registry knows works under Keras's snake_case name),
// keras.Input, Sequential, Model, and the small Keras objects passed as arguments
// (initializers, regularizers, constraints, optimizers, losses, callbacks), kept as
// {class_name, config} and checked where they are made. Arguments arrive bound to Keras's
// parameter names (KERAS_POSITIONAL) and evaluated to Keras JSON.

import type { SyntaxNode } from '@lezer/common';
import { layerFromKeras, layerToKeras, type Json, type JsonObject } from '../../kerasConfig.ts';
import type { Layer } from '../../layer.ts';
import { LayerModel } from '../../functional.ts';
import { Sequential } from '../../sequential.ts';
import { defaultNameScope } from '../../naming.ts';
import { LAYERS, isLayerClassName, layerOptions, type LayerClassName } from '../../layers/registry.ts';
import { snakeCase } from '../../layers/entry.ts';
import { input, inputLayer } from '../../layers/input.ts';
import { SymbolicTensor } from '../../tensor.ts';
import { initializerArg } from '../../initializers.ts';
import { constraintArg, regularizerArg } from '../../regularizers.ts';
import { optimizerFromKeras } from '../../train/optimizerKeras.ts';
import { resolveLoss } from '../../train/lossConfig.ts';
import type { CallbackSpec } from '../types.ts';
import { KERAS_POSITIONAL } from './signatures.ts';
import { kindOf, type KerasObjectKind, type Ref, type Value } from './values.ts';

/** What calls need from the interpreter. */
export interface CallContext {
  evaluate(node: SyntaxNode): Value;
  /** A literal value (or Keras object, or a layer for a wrapper) as Keras JSON; `what` names the argument. */
  json(node: SyntaxNode, what: string): Json;
  error(node: SyntaxNode, detail: string): Error;
  countLayer(node: SyntaxNode): void;
  addModel(model: LayerModel): Ref;
}

/** Arguments bound to parameter names: Conv2D(32, 3) -> {filters: node, kernel_size: node}. */
export type Bound = Map<string, SyntaxNode>;

/** Options of every layer besides its own: the base Layer's keyword arguments. */
const LAYER_BASE = ['name', 'trainable', 'dtype', 'input_shape', 'batch_input_shape', 'batch_size', 'input_dim'];
/** Options Keras layers take that we only accept at their defaults (layerFromKeras checks the value). */
const FIXED_WHERE_KERAS_HAS_THEM = ['data_format', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint', 'lora_rank', 'quantization_config'];

/** The keyword arguments a layer class takes here: its options, Keras options held at their defaults, the base ones. */
export function layerKeywords(className: LayerClassName): string[] {
  const own = layerOptions(className).map((o) => snakeCase(o.key));
  const layout = (LAYERS[className].keras ?? []).flatMap((item) => (typeof item === 'string' ? [] : [(item as { key: string }).key]));
  const signature = KERAS_POSITIONAL[`layers.${className}`] ?? [];
  const fixed = FIXED_WHERE_KERAS_HAS_THEM.filter((k) => signature.includes(k));
  return [...new Set([...own, ...layout, ...fixed, ...LAYER_BASE])];
}

/** The keyword arguments each callable takes (a layer's come from the registry). */
export function keywordsOf(path: string): readonly string[] {
  if (path.startsWith('layers.')) {
    const cls = path.slice('layers.'.length);
    if (cls === 'InputLayer') return ['shape', 'input_shape', 'batch_size', 'batch_shape', 'batch_input_shape', 'dtype', 'name'];
    return isLayerClassName(cls) ? layerKeywords(cls) : [];
  }
  if (path === 'Input') return ['shape', 'batch_size', 'dtype', 'sparse', 'ragged', 'batch_shape', 'name', 'tensor', 'optional'];
  if (path === 'Sequential') return ['layers', 'trainable', 'name'];
  if (path === 'Model') return ['inputs', 'outputs', 'name'];
  if (path.startsWith('losses.')) return ['from_logits', 'label_smoothing', 'delta', 'axis', 'reduction', 'name', 'ignore_class'];
  return KERAS_POSITIONAL[path] ?? [];
}

function shapeOf(ctx: CallContext, node: SyntaxNode, what: string): (number | null)[] {
  const value = ctx.json(node, what);
  if (typeof value === 'number') return [value];
  if (!Array.isArray(value)) throw ctx.error(node, `${what} must be a tuple like (28, 28, 1), got ${JSON.stringify(value)}.`);
  return value as (number | null)[];
}

function checkDtype(ctx: CallContext, bound: Bound): void {
  const node = bound.get('dtype');
  if (!node) return;
  const dtype = ctx.json(node, 'dtype');
  if (dtype !== null && dtype !== 'float32' && dtype !== 'int32' && dtype !== 'int64') {
    throw ctx.error(node, `dtype ${JSON.stringify(dtype)} is not supported; allowed: 'float32' (or 'int32' for token ids).`);
  }
}

/** keras.Input(shape=(28, 28, 1), name=...). */
function kerasInput(ctx: CallContext, bound: Bound, call: SyntaxNode): Value {
  for (const key of ['sparse', 'ragged', 'optional', 'tensor']) {
    const node = bound.get(key);
    if (node && ![null, false].includes(ctx.json(node, key) as null)) throw ctx.error(node, `Input's ${key} is not supported; leave it out.`);
  }
  checkDtype(ctx, bound);
  const batchShape = bound.get('batch_shape');
  const shapeNode = bound.get('shape');
  if (!shapeNode && !batchShape) throw ctx.error(call, `Input needs a shape, e.g. keras.Input(shape=(28, 28, 1)).`);
  const full = batchShape ? shapeOf(ctx, batchShape, 'batch_shape') : undefined;
  const shape = full ? full.slice(1) : shapeOf(ctx, shapeNode!, 'shape');
  const batch = full ? full[0] : bound.has('batch_size') ? ctx.json(bound.get('batch_size')!, 'batch_size') : null;
  const name = bound.has('name') ? ctx.json(bound.get('name')!, 'name') : null;
  const args: { shape: (number | null)[]; batchSize?: number; name?: string } = { shape };
  if (batch !== null) args.batchSize = batch as number;
  if (name !== null) args.name = name as string;
  ctx.countLayer(call);
  return { t: 'tensor', tensor: input(args) };
}

/** layers.InputLayer(shape=...) (Keras 3) or input_shape=... (Keras 2). */
function kerasInputLayer(ctx: CallContext, bound: Bound, call: SyntaxNode): Value {
  checkDtype(ctx, bound);
  const full = bound.get('batch_shape') ?? bound.get('batch_input_shape');
  const shapeNode = bound.get('shape') ?? bound.get('input_shape');
  if (!full && !shapeNode) throw ctx.error(call, `InputLayer needs a shape, e.g. layers.InputLayer(shape=(28, 28, 1)).`);
  const dims = full ? shapeOf(ctx, full, 'batch_shape') : [null, ...shapeOf(ctx, shapeNode!, 'shape')];
  const batch = bound.has('batch_size') ? (ctx.json(bound.get('batch_size')!, 'batch_size') as number) : dims[0];
  const name = bound.has('name') ? (ctx.json(bound.get('name')!, 'name') as string) : undefined;
  ctx.countLayer(call);
  const layer = inputLayer({ inputShape: dims.slice(1), ...(batch ? { batchSize: batch } : {}), ...(name === undefined ? {} : { name }) });
  return { t: 'layer', layer };
}

/** layers.Dense(10, activation='relu', ...): the arguments as a Keras config, read by layerFromKeras. */
function kerasLayer(ctx: CallContext, className: LayerClassName, bound: Bound, call: SyntaxNode): Value {
  const config: JsonObject = {};
  for (const [key, node] of bound) config[key] = ctx.json(node, key);
  // Keras (2 and 3) reads Dense(32, input_dim=784) as input_shape=(784,); Embedding's input_dim is its own.
  const ownInputDim = layerOptions(className).some((o) => o.key === 'inputDim');
  const dimNode = ownInputDim ? undefined : bound.get('input_dim');
  const shapeNode = bound.get('input_shape') ?? dimNode;
  if (bound.has('input_shape') && dimNode) throw ctx.error(dimNode, `give input_shape or input_dim, not both.`);
  if (!ownInputDim) delete config.input_dim;
  if (shapeNode) {
    const shape = shapeOf(ctx, shapeNode, 'input_shape');
    config.batch_input_shape = [config.batch_size ?? null, ...shape];
    delete config.input_shape;
  }
  delete config.batch_size;
  // layerFromKeras reads a missing activation as 'linear' (Keras JSON always writes it); in code a
  // missing argument is Keras's default (SimpleRNN's tanh, LSTM's sigmoid recurrent_activation).
  for (const o of layerOptions(className)) {
    const key = snakeCase(o.key);
    if (o.type === 'activation' && !Object.hasOwn(config, key) && typeof o.default === 'string') config[key] = o.default;
  }
  ctx.countLayer(call);
  if (!Object.hasOwn(config, 'name')) config.name = defaultNameScope.next(LAYERS[className].nameBase);
  return { t: 'layer', layer: layerFromKeras(className, config) };
}

function layerOrTensor(ctx: CallContext, node: SyntaxNode, value: Value): Layer | SymbolicTensor {
  if (typeof value === 'object' && value !== null && value.t === 'layer') return value.layer;
  if (typeof value === 'object' && value !== null && value.t === 'tensor') return value.tensor;
  throw ctx.error(node, `Sequential takes layers (and keras.Input(...) first), got ${kindOf(value)}.`);
}

function kerasSequential(ctx: CallContext, bound: Bound): Value {
  const trainable = bound.get('trainable');
  if (trainable && ctx.json(trainable, 'trainable') !== true) throw ctx.error(trainable, `Sequential(trainable=False) is not supported; set trainable=False on the layers instead.`);
  const name = bound.has('name') ? (ctx.json(bound.get('name')!, 'name') as string) : undefined;
  const items: (Layer | SymbolicTensor)[] = [];
  const list = bound.get('layers');
  if (list) {
    const value = ctx.evaluate(list);
    if (value === null) {
      // Sequential(None): no layers yet.
    } else if (typeof value === 'object' && (value.t === 'list' || value.t === 'tuple')) {
      for (const item of value.items) items.push(layerOrTensor(ctx, list, item));
    } else throw ctx.error(list, `Sequential takes a list of layers, got ${kindOf(value)}.`);
  }
  return ctx.addModel(new Sequential({ ...(name === undefined ? {} : { name }), layers: items }));
}

function tensors(ctx: CallContext, node: SyntaxNode, what: string): SymbolicTensor | SymbolicTensor[] {
  const value = ctx.evaluate(node);
  const one = (v: Value): SymbolicTensor => {
    if (typeof v === 'object' && v !== null && v.t === 'tensor') return v.tensor;
    throw ctx.error(node, `Model's ${what} must be tensors (keras.Input(...) or a layer's output), got ${kindOf(v)}.`);
  };
  if (typeof value === 'object' && value !== null && (value.t === 'list' || value.t === 'tuple')) return value.items.map(one);
  return one(value);
}

function kerasModel(ctx: CallContext, bound: Bound, call: SyntaxNode): Value {
  const inputs = bound.get('inputs');
  const outputs = bound.get('outputs');
  if (!inputs || !outputs) throw ctx.error(call, `Model needs inputs and outputs, e.g. keras.Model(inputs, outputs).`);
  const name = bound.has('name') ? (ctx.json(bound.get('name')!, 'name') as string) : undefined;
  const model = new LayerModel({ inputs: tensors(ctx, inputs, 'inputs'), outputs: tensors(ctx, outputs, 'outputs'), ...(name === undefined ? {} : { name }) });
  return ctx.addModel(model);
}

const OBJECT_KINDS: Record<string, KerasObjectKind> = {
  initializers: 'initializer', regularizers: 'regularizer', constraints: 'constraint', optimizers: 'optimizer', callbacks: 'callback', losses: 'loss',
};
const REGULARIZER_CLASSES: Record<string, string> = { l1: 'L1', l2: 'L2', l1_l2: 'L1L2' };

/** keras.initializers.HeNormal(seed=1), keras.regularizers.l2(0.01), keras.optimizers.Adam(1e-3), ...: checked now, kept as {class_name, config}. */
function kerasObject(ctx: CallContext, path: string, bound: Bound, call: SyntaxNode): Value {
  const [module, name] = path.split('.') as [string, string];
  const kind = OBJECT_KINDS[module]!;
  const config: Record<string, Json> = {};
  for (const [key, node] of bound) config[key] = ctx.json(node, key);
  const className = kind === 'regularizer' ? REGULARIZER_CLASSES[name] ?? name : name;
  const where = `keras.${path}`;
  if (kind === 'initializer') initializerArg(where, 'initializer', { className, config }, 'zeros');
  else if (kind === 'regularizer') regularizerArg(where, 'regularizer', { className, config });
  else if (kind === 'constraint') constraintArg(where, 'constraint', { className, config });
  else if (kind === 'optimizer') optimizerFromKeras({ class_name: className, config });
  else if (kind === 'loss') resolveLoss({ className, config }, where);
  else if (kind === 'callback') callbackSpec(ctx, className, config, call);
  return { t: 'object', kind, className, config };
}

function callbackSpec(ctx: CallContext, className: string, config: Record<string, Json>, call: SyntaxNode): CallbackSpec {
  if (className === 'ModelCheckpoint' && typeof config.filepath !== 'string') throw ctx.error(call, `ModelCheckpoint needs a file path, e.g. ModelCheckpoint('best-model.keras').`);
  if (className === 'CSVLogger' && typeof config.filename !== 'string') throw ctx.error(call, `CSVLogger needs a file name, e.g. CSVLogger('training.log').`);
  return { className: className as CallbackSpec['className'], config };
}

/** Runs a Keras callable on bound arguments. */
export function callKeras(ctx: CallContext, path: string, bound: Bound, call: SyntaxNode): Value {
  if (path === 'Input') return kerasInput(ctx, bound, call);
  if (path === 'Sequential') return kerasSequential(ctx, bound);
  if (path === 'Model') return kerasModel(ctx, bound, call);
  if (path === 'layers.InputLayer') return kerasInputLayer(ctx, bound, call);
  if (path.startsWith('layers.')) return kerasLayer(ctx, path.slice('layers.'.length) as LayerClassName, bound, call);
  return kerasObject(ctx, path, bound, call);
}

/** A layer or Keras object inside a layer config: {class_name, config} as Keras JSON writes it. */
export function refJson(value: Ref): JsonObject | undefined {
  if (value.t === 'object' && (value.kind === 'initializer' || value.kind === 'regularizer' || value.kind === 'constraint')) {
    return { class_name: value.className, config: value.config };
  }
  if (value.t === 'layer') return { class_name: value.layer.className, config: layerToKeras(value.layer.getConfig()) };
  return undefined;
}
