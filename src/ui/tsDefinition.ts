// The TypeScript that builds a spec's model with this project's API (generated text, shown next
// to the Keras Python; never evaluated). Options equal to the layer defaults are left out.

import type { LayerSpec, ModelSpec } from '../worker/modelSpec.ts';

const FACTORY: Record<LayerSpec['className'], string> = {
  InputLayer: 'input', Dense: 'dense', Conv2D: 'conv2d', MaxPooling2D: 'maxPooling2d', AveragePooling2D: 'averagePooling2d',
  Flatten: 'flatten', Dropout: 'dropout', Activation: 'activation', Concatenate: 'concatenate', Add: 'add',
};

const pair = (p: [number, number]): string => (p[0] === p[1] ? String(p[0]) : `[${p[0]}, ${p[1]}]`);
const same = (a?: [number, number], b?: [number, number]): boolean => !!a && !!b && a[0] === b[0] && a[1] === b[1];

function options(l: LayerSpec, extra: string[] = []): string {
  const o: string[] = [];
  if (l.units !== undefined) o.push(`units: ${l.units}`);
  if (l.filters !== undefined) o.push(`filters: ${l.filters}`);
  if (l.kernelSize) o.push(`kernelSize: ${pair(l.kernelSize)}`);
  if (l.poolSize && !same(l.poolSize, [2, 2])) o.push(`poolSize: ${pair(l.poolSize)}`);
  const defaultStrides = l.className === 'Conv2D' ? [1, 1] as [number, number] : l.poolSize;
  if (l.strides && !same(l.strides, defaultStrides)) o.push(`strides: ${pair(l.strides)}`);
  if (l.padding && l.padding !== 'valid') o.push(`padding: '${l.padding}'`);
  if (l.activation && (l.activation !== 'linear' || l.className === 'Activation')) o.push(`activation: '${l.activation}'`);
  if (l.rate !== undefined) o.push(`rate: ${l.rate}`);
  if (l.axis !== undefined && l.axis !== -1) o.push(`axis: ${l.axis}`);
  o.push(...extra, `name: '${l.name}'`);
  return `{ ${o.join(', ')} }`;
}

/** A TypeScript identifier for a layer name. */
function ident(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_$]/g, '_').replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return /^[0-9]/.test(id) || ['model', 'input', 'layers', 'sequential'].includes(id) ? `${id}_` : id;
}

// The import path as a script at the repository root (README) would write it.
const HEADER_SEQUENTIAL = "import { layers, sequential } from './src/model';\n\n";
const HEADER_FUNCTIONAL = "import { input, layers, model } from './src/model';\n\n";

export function tsDefinition(spec: ModelSpec): string {
  if (spec.api === 'sequential') {
    const lines = spec.layers.map((l, i) => {
      const extra = i === 0 && spec.inputShape ? [`inputShape: [${spec.inputShape.join(', ')}]`] : [];
      return `m.add(layers.${FACTORY[l.className]}(${options(l, extra)}));`;
    });
    return `${HEADER_SEQUENTIAL}const m = sequential({ name: '${spec.name}' });\n${lines.join('\n')}\n\nm.summary({ printFn: console.log });\n`;
  }
  const lines: string[] = [];
  for (const l of spec.layers) {
    if (l.className === 'InputLayer') {
      lines.push(`const ${ident(l.name)} = input({ shape: [${(l.shape ?? []).join(', ')}], name: '${l.name}' });`);
      continue;
    }
    const ins = (l.inputs ?? []).map(ident);
    const arg = l.className === 'Concatenate' || l.className === 'Add' ? `[${ins.join(', ')}]` : ins[0];
    lines.push(`const ${ident(l.name)} = layers.${FACTORY[l.className]}(${options(l)}).apply(${arg});`);
  }
  const list = (names: string[]): string => (names.length === 1 ? ident(names[0]!) : `[${names.map(ident).join(', ')}]`);
  const inputs = spec.layers.filter((l) => l.className === 'InputLayer').map((l) => l.name);
  lines.push(`const m = model({ inputs: ${list(inputs)}, outputs: ${list(spec.outputs ?? [])}, name: '${spec.name}' });`);
  return `${HEADER_FUNCTIONAL}${lines.join('\n')}\n\nm.summary({ printFn: console.log });\n`;
}
