// toKerasPython: the Keras code that builds the same model (same names,
// shapes and parameter counts), in Sequential style for a Sequential and
// functional style otherwise, for learners moving on to Keras itself.

import type { Layer } from './layer.ts';
import type { LayerConfig } from './configs.ts';
import type { InitializerName } from './initializers.ts';
import type { LayerModel } from './model.ts';
import type { Node } from './tensor.ts';

const py = (s: string): string => JSON.stringify(s);
const pair = ([a, b]: [number, number]): string => `(${a}, ${b})`;
const tuple = (dims: (number | null)[]): string => (dims.length === 1 ? `(${dims[0] ?? 'None'},)` : `(${dims.map((d) => d ?? 'None').join(', ')})`);

const INIT: Record<InitializerName, string> = {
  glorotUniform: 'glorot_uniform', heUniform: 'he_uniform', lecunUniform: 'lecun_uniform', zeros: 'zeros', ones: 'ones',
};

/** `layers.Conv2D(32, (3, 3), ...)` with only the options that differ from Keras's defaults. */
function layerCall(c: LayerConfig): string {
  const opts: string[] = [];
  const args: string[] = [];
  const activation = (a: string): void => void (a !== 'linear' && opts.push(`activation=${py(a)}`));
  const inits = (k: InitializerName, b: InitializerName, useBias: boolean): void => {
    if (!useBias) opts.push('use_bias=False');
    if (k !== 'glorotUniform') opts.push(`kernel_initializer=${py(INIT[k])}`);
    if (b !== 'zeros') opts.push(`bias_initializer=${py(INIT[b])}`);
  };
  switch (c.className) {
    case 'InputLayer':
      return `keras.Input(shape=${tuple(c.batchInputShape.slice(1))}, name=${py(c.name)})`;
    case 'Dense':
      args.push(String(c.units));
      activation(c.activation);
      inits(c.kernelInitializer, c.biasInitializer, c.useBias);
      break;
    case 'Conv2D':
      args.push(String(c.filters), pair(c.kernelSize));
      if (c.strides[0] !== 1 || c.strides[1] !== 1) opts.push(`strides=${pair(c.strides)}`);
      if (c.padding !== 'valid') opts.push(`padding=${py(c.padding)}`);
      activation(c.activation);
      inits(c.kernelInitializer, c.biasInitializer, c.useBias);
      break;
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      opts.push(`pool_size=${pair(c.poolSize)}`);
      if (c.strides[0] !== c.poolSize[0] || c.strides[1] !== c.poolSize[1]) opts.push(`strides=${pair(c.strides)}`);
      if (c.padding !== 'valid') opts.push(`padding=${py(c.padding)}`);
      break;
    case 'Dropout':
      args.push(String(c.rate));
      if (c.seed !== null) opts.push(`seed=${c.seed}`);
      break;
    case 'Activation':
      args.push(py(c.activation));
      break;
    case 'Concatenate':
      if (c.axis !== -1) opts.push(`axis=${c.axis}`);
      break;
    case 'Flatten':
    case 'Add':
      break;
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

export function toKerasPython(model: LayerModel): string {
  return model.kind === 'sequential' ? sequentialPython(model) : functionalPython(model);
}
