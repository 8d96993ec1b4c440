// A model definition as plain data (what the editor edits, the URL carries and the worker
// receives), in the shape of a Keras functional config: each layer's config as getConfig()
// returns it, plus the names of the layers that feed it. Converted to and from real models only
// through the model API. Never code: reading a spec keeps each layer's known fields only, and
// building it lets the layers validate every value (layerFromConfig).

import {
  LAYERS, defaultConfig, isLayerClassName, layerFromConfig, layerOptions, model, sequential,
  type ConfigOf, type LayerClassName, type LayerConfig, type Model, type SymbolicTensor,
} from '../model/index.ts';

export interface SpecLayer {
  config: LayerConfig;
  /** Functional models: the names of the layers whose outputs feed this one. */
  inputs?: string[];
}

export interface ModelSpec {
  api: 'sequential' | 'functional';
  name: string;
  /** Sequential: the feature shape given to the first layer as inputShape. */
  inputShape?: number[];
  /** Sequential layers carry no batchInputShape (inputShape stands for it). */
  layers: SpecLayer[];
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

/** A config without batchInputShape (a Sequential's layers take the spec's inputShape). */
function withoutBatchShape(config: LayerConfig): LayerConfig {
  const { batchInputShape: _batchInputShape, ...rest } = config;
  return rest as LayerConfig;
}

function buildSequential(spec: ModelSpec): Model {
  if (spec.layers.length === 0) throw new SpecError('a Sequential model needs at least one layer.');
  const m = sequential({ name: spec.name });
  spec.layers.forEach(({ config }, i) => {
    try {
      if (config.className === 'InputLayer') {
        throw new Error('an InputLayer can only start a functional model; a Sequential takes its input shape from the model settings.');
      }
      const own = withoutBatchShape(config);
      m.add(layerFromConfig(i === 0 && spec.inputShape ? { ...own, batchInputShape: [null, ...spec.inputShape] } : own));
    } catch (e) {
      throw new SpecError(message(e), config.name);
    }
  });
  return m;
}

/** The InputLayers' outputs by name; checks names are unique. */
function buildInputs(spec: ModelSpec): Map<string, SymbolicTensor> {
  const names = new Set<string>();
  for (const { config } of spec.layers) {
    if (names.has(config.name)) throw new SpecError(`two layers are named "${config.name}".`, config.name);
    names.add(config.name);
  }
  const outputOf = new Map<string, SymbolicTensor>();
  for (const { config } of spec.layers.filter((l) => l.config.className === 'InputLayer')) {
    try {
      outputOf.set(config.name, layerFromConfig(config).output);
    } catch (e) {
      throw new SpecError(message(e), config.name);
    }
  }
  if (outputOf.size === 0) throw new SpecError('a functional model needs at least one InputLayer.');
  return outputOf;
}

function buildFunctional(spec: ModelSpec): Model {
  const outputOf = buildInputs(spec);
  const inputs = [...outputOf.values()];
  const names = new Set(spec.layers.map((l) => l.config.name));
  // Apply layers as their inputs become available, so the list order does not matter.
  let waiting = spec.layers.filter((l) => l.config.className !== 'InputLayer');
  for (const l of waiting) {
    if (!l.inputs || l.inputs.length === 0) throw new SpecError('is not connected: choose at least one input.', l.config.name);
    for (const from of l.inputs) if (!names.has(from)) throw new SpecError(`takes input from "${from}", which is not a layer of this model.`, l.config.name);
  }
  while (waiting.length > 0) {
    const ready = waiting.filter((l) => l.inputs!.every((n) => outputOf.has(n)));
    if (ready.length === 0) throw new SpecError(`the connections form a cycle.`, waiting[0]!.config.name);
    for (const { config, inputs: from } of ready) {
      try {
        const layer = layerFromConfig(config);
        const ins = from!.map((n) => outputOf.get(n)!);
        if (!layer.takesList && ins.length > 1) throw new Error(`${config.className} takes one input; use Concatenate or Add to join ${ins.length}.`);
        outputOf.set(config.name, layer.apply(layer.takesList ? ins : ins[0]!));
      } catch (e) {
        throw new SpecError(message(e), config.name);
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

/** The spec of a built model (layer names kept); layers called twice are not representable. */
export function specFromModel(m: Model): ModelSpec {
  if (m.kind === 'sequential') {
    const layers = m.layers.map((l) => ({ config: withoutBatchShape(l.getConfig()) }));
    return { api: 'sequential', name: m.name, inputShape: m.inputs[0]!.shape.slice(1) as number[], layers };
  }
  const layers = m.graphLayers.map((layer): SpecLayer => {
    const calls = layer.inboundNodes.filter((n) => m.hasNode(n));
    if (calls.length > 1) throw new SpecError(`layer "${layer.name}" is shared (called ${calls.length} times); the editor describes each layer by one call.`, layer.name);
    const config = layer.getConfig();
    return calls[0]!.isInput ? { config } : { config, inputs: calls[0]!.inputs.map((t) => t.layer.name) };
  });
  return { api: 'functional', name: m.name, layers, outputs: m.outputs.map((t) => t.layer.name) };
}

// ---- reading untrusted specs (URL, IndexedDB) ----

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNums = (v: unknown): v is number[] => Array.isArray(v) && v.length <= 8 && v.every((d) => typeof d === 'number');
const isNames = (v: unknown): v is string[] => Array.isArray(v) && v.every((n) => typeof n === 'string');
/** What a config field may hold: a scalar, or a short list of numbers and nulls (a shape, a pair). */
const isPlain = (v: unknown): boolean =>
  v === null || ['number', 'string', 'boolean'].includes(typeof v) || (Array.isArray(v) && v.length <= 8 && v.every((d) => d === null || typeof d === 'number'));
const MAX_LAYERS = 200;

/** A layer in the earlier link format, {name, className, inputs, shape, units, ...}: its config fields sat beside inputs. */
function legacyConfig(v: Record<string, unknown>): Record<string, unknown> {
  const { inputs: _inputs, shape, ...config } = v;
  return isNums(shape) ? { ...config, batchInputShape: [null, ...shape] } : config;
}

/** One layer: its known fields only, normalized by building it (defaults filled in, values checked). */
function parseLayer(v: unknown, i: number, api: ModelSpec['api']): SpecLayer {
  const raw = isObj(v) ? (isObj(v.config) ? v.config : legacyConfig(v)) : undefined;
  if (!raw || typeof raw.name !== 'string' || !isLayerClassName(raw.className)) {
    throw new SpecError(`layer ${i + 1} must be {config: {className, name, ...}, inputs}.`);
  }
  const name = raw.name.slice(0, 100);
  const picked: Record<string, unknown> = { className: raw.className, name };
  const keys = ['trainable', ...(api === 'functional' ? ['batchInputShape'] : []), ...layerOptions(raw.className).map((o) => o.key)];
  for (const key of keys) if (Object.hasOwn(raw, key) && isPlain(raw[key])) picked[key] = raw[key];
  let config: LayerConfig;
  try {
    config = layerFromConfig(picked).getConfig();
  } catch (e) {
    throw new SpecError(message(e), name);
  }
  const layer: SpecLayer = { config: api === 'sequential' ? withoutBatchShape(config) : config };
  const inputs = (v as Record<string, unknown>).inputs;
  if (isNames(inputs)) layer.inputs = inputs.slice(0, 16);
  return layer;
}

/** A spec from untrusted JSON data: only known fields of known types are kept; then it must build. */
export function parseSpec(v: unknown): ModelSpec {
  if (!isObj(v) || (v.api !== 'sequential' && v.api !== 'functional') || !Array.isArray(v.layers)) {
    throw new SpecError('a model spec must be {api: "sequential" | "functional", name, layers: [...]}.');
  }
  if (v.layers.length > MAX_LAYERS) throw new SpecError(`a model may have at most ${MAX_LAYERS} layers.`);
  const api = v.api;
  const spec: ModelSpec = { api, name: typeof v.name === 'string' ? v.name.slice(0, 100) : 'model', layers: v.layers.map((l, i) => parseLayer(l, i, api)) };
  if (isNums(v.inputShape)) spec.inputShape = v.inputShape;
  if (isNames(v.outputs)) spec.outputs = v.outputs.slice(0, 16);
  buildModel(spec);
  return spec;
}

// ---- editing helpers ----

/** Keras's next free automatic name for a layer type among `taken` (inputs count from 1: input_1). */
export function freshName(className: LayerClassName, taken: readonly string[]): string {
  const base = LAYERS[className].nameBase;
  for (let i = className === 'InputLayer' ? 1 : 0; ; i++) {
    const name = i === 0 ? base : `${base}_${i}`;
    if (!taken.includes(name)) return name;
  }
}

/** A new layer with the editor's starting options (Dense: 32 relu units; Conv2D: 16 3x3 same relu filters). */
export function defaultLayer(className: LayerClassName, taken: readonly string[]): SpecLayer {
  return { config: defaultConfig(className, freshName(className, taken)) };
}

/** A spec layer from a class, a name, its inputs and the options that differ from the editor's defaults. */
export function specLayer<K extends LayerClassName>(className: K, name: string, inputs: string[] | null, options: Partial<ConfigOf<K>> = {}): SpecLayer {
  const config = { ...defaultConfig(className, name), ...options } as LayerConfig;
  return inputs ? { config, inputs } : { config };
}
