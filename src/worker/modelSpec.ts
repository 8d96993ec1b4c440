// A model definition as plain data (what the editor edits, the URL carries and the worker
// receives), converted to and from real models only through the model API. Never code: a spec
// is parsed field by field from a closed list, and building it lets the layers validate it.

import {
  input, layers, model, sequential, ACTIVATIONS,
  type ActivationName, type Layer, type LayerClassName, type LayerConfig, type Model, type Padding, type SymbolicTensor,
} from '../model/index.ts';
import { LAYER_CLASS_NAMES } from '../model/configs.ts';

export interface LayerSpec {
  name: string;
  className: LayerClassName;
  /** Functional models: the names of the layers whose outputs feed this one. */
  inputs?: string[];
  /** InputLayer: feature shape without the batch dimension. */
  shape?: number[];
  units?: number;
  filters?: number;
  kernelSize?: [number, number];
  strides?: [number, number];
  poolSize?: [number, number];
  padding?: Padding;
  activation?: ActivationName;
  rate?: number;
  axis?: number;
}

export interface ModelSpec {
  api: 'sequential' | 'functional';
  name: string;
  /** Sequential: the feature shape given to the first layer as inputShape. */
  inputShape?: number[];
  layers: LayerSpec[];
  /** Functional: the names of the output layers, in order. */
  outputs?: string[];
}

/** A build failure, pinned to the layer it concerns when there is one. */
export class SpecError extends Error {
  constructor(message: string, readonly layer?: string) {
    super(message);
  }
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** One layer object from its spec (the model API checks every value). */
function createLayer(l: LayerSpec, inputShape?: number[]): Layer {
  const base = { name: l.name, ...(inputShape ? { inputShape } : {}) };
  switch (l.className) {
    case 'Dense':
      return layers.dense({ ...base, units: l.units as number, activation: l.activation });
    case 'Conv2D':
      return layers.conv2d({ ...base, filters: l.filters as number, kernelSize: l.kernelSize as [number, number], strides: l.strides, padding: l.padding, activation: l.activation });
    case 'MaxPooling2D':
      return layers.maxPooling2d({ ...base, poolSize: l.poolSize, strides: l.strides, padding: l.padding });
    case 'AveragePooling2D':
      return layers.averagePooling2d({ ...base, poolSize: l.poolSize, strides: l.strides, padding: l.padding });
    case 'Flatten':
      return layers.flatten(base);
    case 'Dropout':
      return layers.dropout({ ...base, rate: l.rate as number });
    case 'Activation':
      return layers.activation({ ...base, activation: l.activation as ActivationName });
    case 'Concatenate':
      return layers.concatenate({ ...base, ...(l.axis !== undefined ? { axis: l.axis } : {}) });
    case 'Add':
      return layers.add(base);
    case 'InputLayer':
      throw new SpecError('an InputLayer can only start a functional model; a Sequential takes its input shape from the model settings.', l.name);
    default:
      l.className satisfies never;
      throw new SpecError(`unknown layer type ${JSON.stringify(l.className)}.`, l.name);
  }
}

function buildSequential(spec: ModelSpec): Model {
  if (spec.layers.length === 0) throw new SpecError('a Sequential model needs at least one layer.');
  const m = sequential({ name: spec.name });
  spec.layers.forEach((l, i) => {
    try {
      m.add(createLayer(l, i === 0 ? spec.inputShape : undefined));
    } catch (e) {
      throw new SpecError(message(e), l.name);
    }
  });
  return m;
}

function buildFunctional(spec: ModelSpec): Model {
  const outputOf = new Map<string, SymbolicTensor>();
  const inputs: SymbolicTensor[] = [];
  const names = new Set<string>();
  for (const l of spec.layers) {
    if (names.has(l.name)) throw new SpecError(`two layers are named "${l.name}".`, l.name);
    names.add(l.name);
  }
  for (const l of spec.layers.filter((x) => x.className === 'InputLayer')) {
    try {
      const t = input({ shape: l.shape as number[], name: l.name });
      inputs.push(t);
      outputOf.set(l.name, t);
    } catch (e) {
      throw new SpecError(message(e), l.name);
    }
  }
  if (inputs.length === 0) throw new SpecError('a functional model needs at least one InputLayer.');
  // Apply layers as their inputs become available, so the list order does not matter.
  let waiting = spec.layers.filter((l) => l.className !== 'InputLayer');
  for (const l of waiting) {
    if (!l.inputs || l.inputs.length === 0) throw new SpecError('is not connected: choose at least one input.', l.name);
    for (const from of l.inputs) if (!names.has(from)) throw new SpecError(`takes input from "${from}", which is not a layer of this model.`, l.name);
  }
  while (waiting.length > 0) {
    const ready = waiting.filter((l) => l.inputs!.every((n) => outputOf.has(n)));
    if (ready.length === 0) throw new SpecError(`the connections form a cycle.`, waiting[0]!.name);
    for (const l of ready) {
      try {
        const layer = createLayer(l);
        const ins = l.inputs!.map((n) => outputOf.get(n)!);
        if (!layer.takesList && ins.length > 1) throw new Error(`${l.className} takes one input; use Concatenate or Add to join ${ins.length}.`);
        outputOf.set(l.name, layer.apply(layer.takesList ? ins : ins[0]!));
      } catch (e) {
        throw new SpecError(message(e), l.name);
      }
    }
    waiting = waiting.filter((l) => !ready.includes(l));
  }
  const outNames = spec.outputs ?? [];
  if (outNames.length === 0) throw new SpecError('choose at least one output layer.');
  const outputs = outNames.map((n) => {
    const t = outputOf.get(n);
    if (!t) throw new SpecError(`the output "${n}" is not a layer of this model.`);
    return t;
  });
  try {
    return model({ inputs, outputs, name: spec.name });
  } catch (e) {
    throw new SpecError(message(e));
  }
}

/** Builds the model a spec describes; throws SpecError with the layer's name on a bad spec. */
export function buildModel(spec: ModelSpec): Model {
  return spec.api === 'sequential' ? buildSequential(spec) : buildFunctional(spec);
}

function layerSpec(c: LayerConfig): LayerSpec {
  const s: LayerSpec = { name: c.name, className: c.className };
  switch (c.className) {
    case 'InputLayer':
      return { ...s, shape: c.batchInputShape.slice(1) as number[] };
    case 'Dense':
      return { ...s, units: c.units, activation: c.activation };
    case 'Conv2D':
      return { ...s, filters: c.filters, kernelSize: c.kernelSize, strides: c.strides, padding: c.padding, activation: c.activation };
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return { ...s, poolSize: c.poolSize, strides: c.strides, padding: c.padding };
    case 'Dropout':
      return { ...s, rate: c.rate };
    case 'Activation':
      return { ...s, activation: c.activation };
    case 'Concatenate':
      return { ...s, axis: c.axis };
    case 'Flatten':
    case 'Add':
      return s;
    default:
      c satisfies never;
      return s;
  }
}

/** The spec of a built model (layer names kept); layers called twice are not representable. */
export function specFromModel(m: Model): ModelSpec {
  if (m.kind === 'sequential') {
    return { api: 'sequential', name: m.name, inputShape: m.inputs[0]!.shape.slice(1) as number[], layers: m.layers.map((l) => layerSpec(l.getConfig())) };
  }
  const specs = m.graphLayers.map((layer) => {
    const calls = layer.inboundNodes.filter((n) => m.hasNode(n));
    if (calls.length > 1) throw new SpecError(`layer "${layer.name}" is shared (called ${calls.length} times); the editor describes each layer by one call.`, layer.name);
    const s = layerSpec(layer.getConfig());
    return calls[0]!.isInput ? s : { ...s, inputs: calls[0]!.inputs.map((t) => t.layer.name) };
  });
  return { api: 'functional', name: m.name, layers: specs, outputs: m.outputs.map((t) => t.layer.name) };
}

// ---- reading untrusted specs (URL, IndexedDB) ----

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNums = (v: unknown): v is number[] => Array.isArray(v) && v.length <= 8 && v.every((d) => typeof d === 'number');
const isPair = (v: unknown): v is [number, number] => isNums(v) && v.length === 2;
const MAX_LAYERS = 200;

function parseLayer(v: unknown, i: number): LayerSpec {
  if (!isObj(v) || typeof v.name !== 'string' || !LAYER_CLASS_NAMES.includes(v.className as LayerClassName)) {
    throw new SpecError(`layer ${i + 1} must be {name, className, ...}.`);
  }
  const l: LayerSpec = { name: v.name.slice(0, 100), className: v.className as LayerClassName };
  if (Array.isArray(v.inputs) && v.inputs.every((n) => typeof n === 'string')) l.inputs = v.inputs.slice(0, 16) as string[];
  if (isNums(v.shape)) l.shape = v.shape;
  for (const key of ['units', 'filters', 'rate', 'axis'] as const) if (typeof v[key] === 'number') l[key] = v[key] as number;
  for (const key of ['kernelSize', 'strides', 'poolSize'] as const) if (isPair(v[key])) l[key] = v[key] as [number, number];
  if (v.padding === 'same' || v.padding === 'valid') l.padding = v.padding;
  if (ACTIVATIONS.includes(v.activation as ActivationName)) l.activation = v.activation as ActivationName;
  return l;
}

/** A spec from untrusted JSON data: only known fields of known types are kept; then it must build. */
export function parseSpec(v: unknown): ModelSpec {
  if (!isObj(v) || (v.api !== 'sequential' && v.api !== 'functional') || !Array.isArray(v.layers)) {
    throw new SpecError('a model spec must be {api: "sequential" | "functional", name, layers: [...]}.');
  }
  if (v.layers.length > MAX_LAYERS) throw new SpecError(`a model may have at most ${MAX_LAYERS} layers.`);
  const spec: ModelSpec = { api: v.api, name: typeof v.name === 'string' ? v.name.slice(0, 100) : 'model', layers: v.layers.map(parseLayer) };
  if (isNums(v.inputShape)) spec.inputShape = v.inputShape;
  if (Array.isArray(v.outputs) && v.outputs.every((n) => typeof n === 'string')) spec.outputs = v.outputs.slice(0, 16) as string[];
  buildModel(spec);
  return spec;
}

// ---- editing helpers ----

const NAME_BASE: Record<LayerClassName, string> = {
  InputLayer: 'input', Dense: 'dense', Conv2D: 'conv2d', MaxPooling2D: 'max_pooling2d', AveragePooling2D: 'average_pooling2d',
  Flatten: 'flatten', Dropout: 'dropout', Activation: 'activation', Concatenate: 'concatenate', Add: 'add',
};

/** Keras's next free automatic name for a layer type among `taken`. */
export function freshName(className: LayerClassName, taken: readonly string[]): string {
  const base = NAME_BASE[className];
  for (let i = className === 'InputLayer' ? 1 : 0; ; i++) {
    const name = i === 0 ? base : `${base}_${i}`;
    if (!taken.includes(name)) return name;
  }
}

/** A new layer with Keras-like default options. */
export function defaultLayer(className: LayerClassName, taken: readonly string[]): LayerSpec {
  const name = freshName(className, taken);
  switch (className) {
    case 'InputLayer': return { name, className, shape: [28, 28, 1] };
    case 'Dense': return { name, className, units: 32, activation: 'relu' };
    case 'Conv2D': return { name, className, filters: 16, kernelSize: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' };
    case 'MaxPooling2D':
    case 'AveragePooling2D': return { name, className, poolSize: [2, 2], strides: [2, 2], padding: 'valid' };
    case 'Dropout': return { name, className, rate: 0.25 };
    case 'Activation': return { name, className, activation: 'relu' };
    case 'Concatenate': return { name, className, axis: -1 };
    case 'Flatten':
    case 'Add': return { name, className };
  }
}
