// toKerasPython: the Keras code that builds the same model (same names,
// shapes and parameter counts), in Sequential style for a Sequential and
// functional style otherwise, for learners moving on to Keras itself.

import type { Layer } from './layer.ts';
import type { LayerConfig } from './configs.ts';
import type { LayerModel } from './model.ts';
import type { Node } from './tensor.ts';
import { LAYERS, configFields, layerOptions } from './layers/registry.ts';
import { isDefault, snakeCase, type ConfigInput, type LayerEntry, type OptionType } from './layers/entry.ts';
import { changedArgs, type Initializer } from './initializers.ts';
import { specPython, type ConstraintSpec, type RegularizerSpec } from './regularizers.ts';
import type { CompileArgs } from './train/config.ts';
import { compilePython } from './train/compileConfig.ts';

const py = (s: string): string => JSON.stringify(s);
const tuple = (dims: readonly (number | null)[]): string => (dims.length === 1 ? `(${dims[0] ?? 'None'},)` : `(${dims.map((d) => d ?? 'None').join(', ')})`);

/** An option's value as Python source: (3, 3), "same", False, "he_uniform", 0.5. */
function pythonValue(type: OptionType, value: unknown): string {
  switch (type) {
    case 'pair':
    case 'shape':
    case 'ints':
      return tuple(value as (number | null)[]);
    case 'sides':
      return `(${(value as number[][]).map((p) => tuple(p)).join(', ')})`;
    case 'bool':
      return value ? 'True' : 'False';
    case 'initializer': {
      const init = value as Initializer;
      if (typeof init === 'string') return py(snakeCase(init));
      const args = changedArgs(init).map(([k, v]) => `${k}=${v === null ? 'None' : typeof v === 'string' ? py(v) : String(v)}`);
      return `keras.initializers.${init.className}(${args.join(', ')})`;
    }
    case 'regularizer':
      return value === null ? 'None' : specPython('regularizers', value as RegularizerSpec);
    case 'constraint':
      return value === null ? 'None' : specPython('constraints', value as ConstraintSpec);
    case 'select':
    case 'activation':
      return py(value as string);
    case 'int':
    case 'number':
    case 'axis':
    case 'seed':
      return String(value);
    case 'numbers':
      return value === null ? 'None' : Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
    case 'layer':
      return value === null ? 'None' : layerCall(value as LayerConfig);
  }
}

/** A config's fields as code writes them (the entry's codeConfig, e.g. Bidirectional's derived backward layer left out). */
export function codeFields(c: LayerConfig): ConfigInput {
  const entry = LAYERS[c.className] as unknown as LayerEntry<LayerConfig['className']>;
  return entry.codeConfig ? entry.codeConfig(c as never) : configFields(c);
}

/** `layers.Conv2D(32, (3, 3), ...)`: positional options, then those that differ from Keras's defaults. */
function layerCall(c: LayerConfig): string {
  if (c.className === 'InputLayer') return `keras.Input(shape=${tuple(c.batchInputShape.slice(1))}, name=${py(c.name)})`;
  const fields = codeFields(c);
  const args: string[] = [];
  const opts: string[] = [];
  for (const option of layerOptions(c.className)) {
    const value = pythonValue(option.type, fields[option.key]);
    if (option.python === 'positional') args.push(value);
    else if (option.python === 'always' || !isDefault(option, fields)) opts.push(`${snakeCase(option.key)}=${value}`);
  }
  if (!c.trainable) opts.push('trainable=False');
  opts.push(`name=${py(c.name)}`);
  return `layers.${c.className}(${[...args, ...opts].join(', ')})`;
}

/** A Python identifier for a layer name ("Layer_1" stays, "my-layer" -> "my_layer"). */
function identifier(name: string, taken: Set<string>): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(id) || ['model', 'keras', 'layers', 'input', 'lambda', 'class', 'def', 'in', 'is', 'not', 'and', 'or', 'if', 'else', 'for', 'while', 'return', 'import', 'from', 'as', 'None', 'True', 'False'].includes(id)) id = `${id}_`;
  while (taken.has(id)) id = `${id}_`;
  taken.add(id);
  return id;
}

const HEADER = ['import keras', 'from keras import layers', ''];

function sequentialPython(model: LayerModel): string {
  const input = model.inputs[0]!;
  const lines = [...HEADER, 'model = keras.Sequential(', '    ['];
  lines.push(`        keras.Input(shape=${tuple(input.shape.slice(1))}),`);
  for (const layer of model.layers) lines.push(`        ${layerCall(layer.getConfig())},`);
  lines.push('    ],', `    name=${py(model.name)},`, ')', 'model.summary()');
  return lines.join('\n') + '\n';
}

function functionalPython(model: LayerModel): string {
  const taken = new Set<string>();
  const lines = [...HEADER];
  const layerVar = new Map<Layer, string>();
  const tensorVar = new Map<Node, string>();
  // A layer called more than once in the model is created once and reused.
  for (const layer of model.graphLayers) {
    const calls = layer.inboundNodes.filter((n) => model.hasNode(n));
    if (calls.length > 1) {
      const id = identifier(layer.name, taken);
      layerVar.set(layer, id);
      lines.push(`${id} = ${layerCall(layer.getConfig())}`);
    }
  }
  for (const node of model.nodes) {
    const layer = node.layer;
    const call = layer.inboundNodes.filter((n) => model.hasNode(n)).indexOf(node);
    const id = identifier(layerVar.has(layer) ? `${layer.name}_${call}` : layer.name, taken);
    tensorVar.set(node, id);
    if (node.isInput) {
      lines.push(`${id} = ${layerCall(layer.getConfig())}`);
      continue;
    }
    const ins = node.inputs.map((t) => tensorVar.get(t.node)!);
    const arg = layer.takesList ? `[${ins.join(', ')}]` : ins[0]!;
    lines.push(`${id} = ${layerVar.get(layer) ?? layerCall(layer.getConfig())}(${arg})`);
  }
  const list = (ts: LayerModel['inputs']): string => {
    const names = ts.map((t) => tensorVar.get(t.node)!);
    return names.length === 1 ? names[0]! : `[${names.join(', ')}]`;
  };
  lines.push(`model = keras.Model(inputs=${list(model.inputs)}, outputs=${list(model.outputs)}, name=${py(model.name)})`, 'model.summary()');
  return lines.join('\n') + '\n';
}

/** With `compile`, the code ends with the model.compile(...) line. */
export function toKerasPython(model: LayerModel, compile?: CompileArgs): string {
  const code = model.kind === 'sequential' ? sequentialPython(model) : functionalPython(model);
  return compile ? `${code}${compilePython(compile)}\n` : code;
}
